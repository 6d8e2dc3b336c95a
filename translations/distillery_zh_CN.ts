<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>distill::widgets::CurvePlot</name>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="32" />
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="44" />
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="188" />
        <source>%1  x = %2, y = %3</source>
        <translation>%1  x = %2，y = %3</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="248" />
        <source>PNG image…</source>
        <translation>PNG 图像…</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="249" />
        <source>PDF document…</source>
        <translation>PDF 文档…</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="250" />
        <source>CSV data…</source>
        <translation>CSV 数据…</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="254" />
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="255" />
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="256" />
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="257" />
        <location filename="../widgets/plots/curve_plot.cpp" line="262" />
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="262" />
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ErrorText</name>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="14" />
        <source>Invalid input</source>
        <translation>输入无效</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="15" />
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="16" />
        <source>File error</source>
        <translation>文件错误</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="17" />
        <source>Malformed data</source>
        <translation>数据格式错误</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="18" />
        <source>Not supported</source>
        <translation>不支持</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="19" />
        <source>Database error</source>
        <translation>数据库错误</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="20" />
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="21" />
        <source>Network error</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="22" />
        <source>Internal error</source>
        <translation>内部错误</translation>
    </message>
</context>
<context>
    <name>distill::widgets::FreezeDialog</name>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="30" />
        <source>Freeze dataset</source>
        <translation>冻结数据集</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="32" />
        <source>for example: math-r1-v1</source>
        <translation>例如：math-r1-v1</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/views/freeze_dialog.cpp" line="36" />
        <source>%n sample(s) match the current filter.</source>
        <translation><numerusform>当前筛选条件匹配 %n 个样本。</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="42" />
        <source>OpenAI messages (TRL, LLaMA-Factory)</source>
        <translation>OpenAI 消息格式（TRL、LLaMA-Factory）</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="43" />
        <source>ShareGPT conversations</source>
        <translation>ShareGPT 对话格式</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="44" />
        <source>Prompt/completion in the R1 template</source>
        <translation>R1 模板的提示/补全格式</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="45" />
        <source>leave empty to freeze without exporting</source>
        <translation>留空则只冻结、不导出</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="46" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="53" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="54" />
        <source>Recipe:</source>
        <translation>配方：</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="56" />
        <source>Export format:</source>
        <translation>导出格式：</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="57" />
        <source>Export file:</source>
        <translation>导出文件：</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="63" />
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="95" />
        <source>Export dataset</source>
        <translation>导出数据集</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="96" />
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="105" />
        <source>Enter a name for the dataset.</source>
        <translation>请输入数据集名称。</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="112" />
        <source>Freezing failed: %1</source>
        <translation>冻结失败：%1</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="115" />
        <source>Froze %1 samples as “%2” (content hash %3).</source>
        <translation>已将 %1 个样本冻结为“%2”（内容哈希 %3）。</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="149" />
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="169" />
        <source>Exported %1 records to %2.</source>
        <translation>已导出 %1 条记录到 %2。</translation>
    </message>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="171" />
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ImportDialog</name>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="30" />
        <source>Auto-detect</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="31" />
        <source>OpenAI messages</source>
        <translation>OpenAI 消息</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="32" />
        <source>ShareGPT conversations</source>
        <translation>ShareGPT 对话</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="33" />
        <source>Alpaca instructions</source>
        <translation>Alpaca 指令</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="34" />
        <source>Reasoning traces</source>
        <translation>推理轨迹</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="35" />
        <source>Problem set</source>
        <translation>题目集</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="49" />
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="50" />
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="51" />
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="61" />
        <location filename="../widgets/views/import_dialog.cpp" line="139" />
        <source>Import records</source>
        <translation>导入记录</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="64" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="75" />
        <source>Auto (samples when responses exist)</source>
        <translation>自动（有回答时创建样本）</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="76" />
        <source>Problems only</source>
        <translation>仅题目</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="77" />
        <source>Problems and samples</source>
        <translation>题目和样本</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="79" />
        <source>default: the file name</source>
        <translation>默认：文件名</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="82" />
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="83" />
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="84" />
        <source>Create:</source>
        <translation>创建：</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="85" />
        <source>Source name:</source>
        <translation>来源名称：</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="88" />
        <location filename="../widgets/views/import_dialog.cpp" line="103" />
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="88" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="88" />
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="88" />
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="97" />
        <source>Preview of the first records</source>
        <translation>前几条记录预览</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="103" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="106" />
        <source>Problems found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="114" />
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="115" />
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="140" />
        <source>JSON Lines or JSON (*.jsonl *.json);;All files (*)</source>
        <translation>JSON Lines 或 JSON (*.jsonl *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="176" />
        <source>Detected format: %1 · read as: %2</source>
        <translation>检测到的格式：%1 · 按此读取：%2</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="215" />
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="225" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="241" />
        <source>Importing… %1 MB of %2 MB, about %3 left</source>
        <translation>正在导入… %1 MB / %2 MB，约剩 %3</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="245" />
        <source>Importing… %1 MB</source>
        <translation>正在导入… %1 MB</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="257" />
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="263" />
        <source>Import cancelled; nothing was written.</source>
        <translation>导入已取消，未写入任何内容。</translation>
    </message>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="267" />
        <source>Imported %1 records (%2 problems, %3 samples) as %4; %5 skipped.</source>
        <translation>已按“%4”导入 %1 条记录（%2 道题目，%3 个样本）；跳过 %5 条。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::MainWindow</name>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="101" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="102" />
        <source>&amp;New workspace…</source>
        <translation>新建工作区(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="103" />
        <source>&amp;Open workspace…</source>
        <translation>打开工作区(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="104" />
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="106" />
        <source>&amp;Import records…</source>
        <translation>导入记录(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="108" />
        <source>&amp;Freeze/export dataset…</source>
        <translation>冻结/导出数据集(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="111" />
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="113" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="115" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="116" />
        <source>&amp;About Distillery</source>
        <translation>关于 Distillery(&amp;A)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="117" />
        <source>About Distillery</source>
        <translation>关于 Distillery</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="118" />
        <source>&lt;b&gt;Distillery %1&lt;/b&gt;&lt;p&gt;Curate chain-of-thought data and distil a reasoning teacher into a small student model.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Distillery %1&lt;/b&gt;&lt;p&gt;整理思维链数据，并将推理教师模型蒸馏为小型学生模型。&lt;/p&gt;&lt;p&gt;许可证：GPL-3.0-or-later。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="135" />
        <source>Cannot open workspace %1:
%2</source>
        <translation>无法打开工作区 %1：
%2</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="153" />
        <source>New workspace</source>
        <translation>新建工作区</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="154" />
        <source>Distillery workspace (*.distillery)</source>
        <translation>Distillery 工作区 (*.distillery)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="158" />
        <source>%1 already exists; use Open workspace to open it.</source>
        <translation>%1 已存在，请使用“打开工作区”打开它。</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="166" />
        <source>Open workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="167" />
        <source>Distillery workspace (*.distillery);;All files (*)</source>
        <translation>Distillery 工作区 (*.distillery);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="236" />
        <location filename="../widgets/views/main_window.cpp" line="257" />
        <source>Distillery</source>
        <translation>Distillery</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="237" />
        <source>No workspace open. Use File › New workspace or Open workspace.</source>
        <translation>尚未打开工作区。请使用“文件 › 新建工作区”或“打开工作区”。</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="241" />
        <source>%1 — Distillery</source>
        <translation>%1 — Distillery</translation>
    </message>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="244" />
        <source>%1 · %2 problems · %3 samples · %4 datasets</source>
        <translation>%1 · %2 道题目 · %3 个样本 · %4 个数据集</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ProblemBrowserPage</name>
    <message numerus="yes">
        <location filename="../widgets/views/problem_browser_page.cpp" line="118" />
        <source>%n problem(s)</source>
        <translation><numerusform>%n 道题目</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="53" />
        <source>Problem</source>
        <translation>题目</translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="55" />
        <source>Reference answer and solution</source>
        <translation>参考答案与解答</translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="70" />
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="81" />
        <source>Problems</source>
        <translation>题目</translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="104" />
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="108" />
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../widgets/views/problem_browser_page.cpp" line="137" />
        <source>Answer: %1</source>
        <translation>答案：%1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ProblemTableModel</name>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="79" />
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="80" />
        <source>Source ID</source>
        <translation>来源编号</translation>
    </message>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="81" />
        <source>Domain</source>
        <translation>领域</translation>
    </message>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="82" />
        <source>Difficulty</source>
        <translation>难度</translation>
    </message>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="83" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="84" />
        <source>Reference answer</source>
        <translation>参考答案</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleBrowserPage</name>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="59" />
        <source>Accept (A)</source>
        <translation>接受 (A)</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="60" />
        <source>Reject (R)</source>
        <translation>拒绝 (R)</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="61" />
        <source>Flag (F)</source>
        <translation>标记 (F)</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="63" />
        <source>Next (J)</source>
        <translation>下一个 (J)</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="64" />
        <source>Previous (K)</source>
        <translation>上一个 (K)</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="66" />
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="68" />
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="105" />
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/views/sample_browser_page.cpp" line="153" />
        <source>%n sample(s)</source>
        <translation><numerusform>%n 个样本</numerusform></translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleCommands</name>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="17" />
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="18" />
        <source>answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="19" />
        <source>reject reason</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="44" />
        <source>Edit %1 of sample %2</source>
        <translation>编辑样本 %2 的%1</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="70" />
        <source>Accept sample %1</source>
        <translation>接受样本 %1</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="71" />
        <source>Reject sample %1</source>
        <translation>拒绝样本 %1</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="72" />
        <source>Reset sample %1</source>
        <translation>重置样本 %1</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="95" />
        <source>Unflag sample %1</source>
        <translation>取消标记样本 %1</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="96" />
        <source>Flag sample %1</source>
        <translation>标记样本 %1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleDetailPane</name>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="91" />
        <source>No sample selected</source>
        <translation>未选择样本</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="102" />
        <source>Sample %1 · %2 · %3 · %4</source>
        <translation>样本 %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="108" />
        <source>Reference answer: %1</source>
        <translation>参考答案：%1</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="120" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/views/sample_detail_pane.cpp" line="122" />
        <source>Thinking (%n tokens)</source>
        <translation><numerusform>思考（%n 个词元）</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/views/sample_detail_pane.cpp" line="123" />
        <source>Answer (%n tokens)</source>
        <translation><numerusform>回答（%n 个词元）</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="125" />
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="126" />
        <source>Answer</source>
        <translation>回答</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleFilterBar</name>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="21" />
        <source>Search question, thinking and answer…</source>
        <translation>搜索问题、思考和回答…</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="25" />
        <source>Any verdict</source>
        <translation>任意判定</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="28" />
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="31" />
        <location filename="../widgets/views/sample_filter_bar.cpp" line="71" />
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="37" />
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="38" />
        <source>Thinking tokens (0 = no limit)</source>
        <translation>思考词元数（0 表示不限）</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="50" />
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="59" />
        <source>Thinking tokens:</source>
        <translation>思考词元数：</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleTableModel</name>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="92" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="93" />
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="94" />
        <source>incorrect</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="102" />
        <source>candidate</source>
        <translation>待审</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="103" />
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="104" />
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="112" />
        <source>teacher</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="113" />
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="114" />
        <source>human</source>
        <translation>人工</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="115" />
        <source>reference</source>
        <translation>参考解答</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="185" />
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="186" />
        <source>Problem</source>
        <translation>题目</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="187" />
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="188" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="189" />
        <source>Thinking
tokens</source>
        <translation>思考词元</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="190" />
        <source>Answer
tokens</source>
        <translation>回答词元</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="191" />
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="192" />
        <source>Flags</source>
        <translation>标记</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SettingsDialog</name>
    <message>
        <location filename="../widgets/views/settings_dialog.cpp" line="16" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../widgets/views/settings_dialog.cpp" line="17" />
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../widgets/views/settings_dialog.cpp" line="22" />
        <source>A new language takes effect the next time Distillery starts.</source>
        <translation>新语言将在下次启动 Distillery 时生效。</translation>
    </message>
    <message>
        <location filename="../widgets/views/settings_dialog.cpp" line="26" />
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="20" />
        <source>Curate chain-of-thought data and distil a reasoning teacher.</source>
        <translation>整理思维链数据并蒸馏推理教师模型。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="24" />
        <source>Open (or create) the workspace at &lt;path&gt;.</source>
        <translation>打开（或创建）位于 &lt;path&gt; 的工作区。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="25" />
        <source>path</source>
        <translation>路径</translation>
    </message>
</context>
</TS>
