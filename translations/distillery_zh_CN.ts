<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>distill::widgets::ChatWorker</name>
    <message>
        <location filename="../widgets/models/chat_worker.cpp" line="+72"/>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::CurateJobPanel</name>
    <message>
        <location filename="../widgets/views/curate_job_panel.cpp" line="+39"/>
        <source>Run curation</source>
        <translation>运行整理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Not running.</source>
        <translation>未在运行。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The summary of the last curation job appears here.</source>
        <translation>上一次整理任务的摘要显示在这里。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Curation runs</source>
        <translation>整理运行</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Curation run #%1: grading the samples…</source>
        <translation>整理运行 #%1：正在评判样本…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Graded %1 of %2 samples, %3 s left.</source>
        <translation>已评判 %1 / %2 个样本，剩余 %3 秒。</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Curation run #%1 %2.</source>
        <translation>整理运行 #%1 %2。</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Could not write the job spec next to the workspace.</source>
        <translation>无法在工作区旁写入任务配置。</translation>
    </message>
    <message>
        <location line="-134"/>
        <source>The readability thresholds follow the Thresholds tab. Kept samples become accepted, all others rejected with their reason.</source>
        <translation>可读性阈值取自“阈值”标签页。保留的样本变为已接受，其余样本连同原因被拒绝。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Preview stages</source>
        <translation>预览各阶段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Two dry runs that write nothing: what each stage would remove and why.</source>
        <translation>两次不写入任何内容的试运行：显示各阶段将去除什么以及原因。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Removes (samples)</source>
        <translation>去除（样本数）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Examples</source>
        <translation>示例</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>What each stage would remove (last preview)</source>
        <translation>各阶段将去除的内容（上次预览）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Preview run #%1 (%2 of 2): grading the samples…</source>
        <translation>预览运行 #%1（第 %2 / 2 次）：正在评判样本…</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Preview: %1 of %2 samples would be kept; nothing was written.</source>
        <translation>预览：将保留 %1 / %2 个样本；未写入任何内容。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Stopping: nothing is written when the job stops before its write-back.</source>
        <translation>正在停止：任务在写回之前停止则不写入任何内容。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Dry run: nothing was written.</source>
        <translation>试运行：未写入任何内容。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped before the write-back: nothing was written.</source>
        <translation>在写回之前停止：未写入任何内容。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples: %1 kept of %2.</source>
        <translation>样本：保留 %1 / %2。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rejected by reason: %1.</source>
        <translation>按原因拒绝：%1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verdicts: %1.</source>
        <translation>判定：%1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems: %1 selected of %2; %3 overlap a benchmark, %4 duplicates.</source>
        <translation>题目：选出 %1 / %2；%3 道与基准重叠，%4 道重复。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Problems not selected, by reason: %1.</source>
        <translation>未选出的题目，按原因：%1。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::CuratePreview</name>
    <message>
        <location filename="../widgets/models/curate_preview.cpp" line="+29"/>
        <source>Verification</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Readability filters</source>
        <translation>可读性过滤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dedup</source>
        <translation>去重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Benchmark decontamination</source>
        <translation>基准去污染</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep-k rejection sampling</source>
        <translation>拒绝采样（每题保留 k 个）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Selection (quality, difficulty, diversity)</source>
        <translation>题目选择（质量、难度、多样性）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>%1 duplicate problems</source>
        <translation>%1 道重复题目</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 problems overlap a benchmark</source>
        <translation>%1 道题目与基准重叠</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>problem #%1 ~ %2 %3</source>
        <translation>题目 #%1 ~ %2 %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>problems</source>
        <translation>道题目</translation>
    </message>
</context>
<context>
    <name>distill::widgets::CurationDisagreementModel</name>
    <message>
        <location filename="../widgets/models/curation_disagreement_model.cpp" line="+32"/>
        <source>Rulings: %1; the judge agreed on %2 of %3, the grader on %4 of %1.</source>
        <translation>裁定：%1 条；评判模型在 %3 条中同意 %2 条，规则评分器在 %1 条中同意 %4 条。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored verdict</source>
        <translation>已存判定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-graded</source>
        <translation>重新评判</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Judge</source>
        <translation>评判模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extracted answer</source>
        <translation>提取的答案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
</context>
<context>
    <name>distill::widgets::CurationPage</name>
    <message>
        <location filename="../widgets/views/curation_page.cpp" line="+77"/>
        <source>Language mix (share of letters in another script)</source>
        <translation>语言混杂（其他文字字母所占比例）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeated n-gram share of the thinking</source>
        <translation>思考中重复 n-gram 的比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longest paragraph (characters, 0 = no limit)</source>
        <translation>最长段落（字符数，0 = 不限）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thinking length (characters, 0 = no limit)</source>
        <translation>思考长度（字符数，0 = 不限）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeats of the last sentence (0 = off)</source>
        <translation>末句重复次数（0 = 关闭）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disagreements</source>
        <translation>判定分歧</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Curation job</source>
        <translation>整理任务</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reading filter scores… %1 of %2 samples</source>
        <translation>正在读取过滤分数… %1 / %2 个样本</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Curate</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Reading filter scores…</source>
        <translation>正在读取过滤分数…</translation>
    </message>
    <message>
        <location line="+95"/>
        <source>Kept: %1    Rejected: %2    (of %3 samples)</source>
        <translation>保留：%1    拒绝：%2    （共 %3 个样本）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No workspace open</source>
        <translation>未打开工作区</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <source>Curation applied: %n sample(s) changed</source>
        <translation>
            <numerusform>已应用筛选：%n 个样本有变更</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>distill::widgets::CurvePlot</name>
    <message>
        <location filename="../widgets/plots/curve_plot.cpp" line="+32"/>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>%1  x = %2, y = %3</source>
        <translation>%1  x = %2，y = %3</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>PNG image…</source>
        <translation>PNG 图像…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF document…</source>
        <translation>PDF 文档…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV data…</source>
        <translation>CSV 数据…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF document (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV file (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::DisagreementView</name>
    <message>
        <location filename="../widgets/views/disagreement_view.cpp" line="+30"/>
        <source>Correct (C)</source>
        <translation>正确 (C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incorrect (I)</source>
        <translation>错误 (I)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown (U)</source>
        <translation>未知 (U)</translation>
    </message>
    <message numerus="yes">
        <location line="+16"/>
        <source>%n sample(s) where the re-graded verdict differs from the stored one or the judge&apos;s</source>
        <translation>
            <numerusform>%n 个样本的重新评分结果与已存结果或评判模型的结果不一致</numerusform>
        </translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Sample %1 marked %2</source>
        <translation>样本 %1 已标记为%2</translation>
    </message>
</context>
<context>
    <name>distill::widgets::EditHistoryDialog</name>
    <message>
        <location filename="../widgets/views/edit_history_dialog.cpp" line="+41"/>
        <source>Edit history of sample %1</source>
        <translation>样本 %1 的编辑历史</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject reason</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2 · %3 → %4 characters</source>
        <translation>%1 · %2 · %3 → %4 个字符</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No edits.</source>
        <translation>没有编辑记录。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Before</source>
        <translation>编辑前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After</source>
        <translation>编辑后</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ErrorText</name>
    <message>
        <location filename="../widgets/models/error_text.cpp" line="+14"/>
        <source>Invalid input</source>
        <translation>输入无效</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File error</source>
        <translation>文件错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Malformed data</source>
        <translation>数据格式错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not supported</source>
        <translation>不支持</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Database error</source>
        <translation>数据库错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Network error</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Internal error</source>
        <translation>内部错误</translation>
    </message>
</context>
<context>
    <name>distill::widgets::EvalLauncher</name>
    <message>
        <location filename="../widgets/views/eval_launcher.cpp" line="+31"/>
        <source>What to evaluate</source>
        <translation>评测对象</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model folder of the form</source>
        <translation>表单中的模型文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The checkpoints of a run</source>
        <translation>某个运行的检查点</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>every </source>
        <translation>每 </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Evaluate every Nth checkpoint (1: all); the last one always.</source>
        <translation>每 N 个检查点评测一个（1：全部）；最后一个总会评测。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>e.g. 256, 512, 1024 (empty: the form&apos;s)</source>
        <translation>例如：256, 512, 1024（留空：使用表单中的值）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One evaluation per thinking budget (max_thinking_tokens, budget forcing): accuracy against budget appears in the budget plot.</source>
        <translation>每个思考预算各做一次评测（max_thinking_tokens，预算强制）：准确率随预算的变化显示在预算图中。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>R1 protocol</source>
        <translation>R1 协议</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>64 samples per problem, temperature 0.6, top-p 0.95: DeepSeek-R1&apos;s evaluation.</source>
        <translation>每题 64 个样本，温度 0.6，top-p 0.95：DeepSeek-R1 的评测方式。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thinking budgets</source>
        <translation>思考预算</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Evaluate</source>
        <translation>评测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not running.</source>
        <translation>未在运行。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Evaluation %1 of %2: %3 of %4 responses, %5 s left.</source>
        <translation>评测 %1 / %2：%3 / %4 个回答，剩余 %5 秒。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Evaluations %1.</source>
        <translation>评测 %1。</translation>
    </message>
    <message>
        <location line="+112"/>
        <source>&apos;%1&apos; is not a thinking budget (a number of tokens).</source>
        <translation>“%1”不是思考预算（应为词元数）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The run has no complete checkpoint.</source>
        <translation>该运行没有完整的检查点。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source> budget %1</source>
        <translation> 预算 %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not write the job spec next to the workspace.</source>
        <translation>无法在工作区旁写入任务配置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Evaluation %1 of %2: starting…</source>
        <translation>评测 %1 / %2：正在启动…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stopping after the responses in flight…</source>
        <translation>等进行中的回答完成后停止…</translation>
    </message>
</context>
<context>
    <name>distill::widgets::EvalPage</name>
    <message>
        <location filename="../widgets/views/eval_page.cpp" line="+103"/>
        <source>Check runs to overlay their benchmark curves.</source>
        <translation>勾选运行以叠加显示其基准曲线。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The benchmark of the curves and of the budget plot.</source>
        <translation>曲线和预算图所显示的基准。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Benchmark</source>
        <translation>基准</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New evaluation</source>
        <translation>新建评测</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Double-click a row to list its problems and responses.</source>
        <translation>双击一行以列出其题目和回答。</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+2"/>
        <source>training step</source>
        <translation>训练步数</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+4"/>
        <source>pass@1</source>
        <translation>pass@1</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>mean response tokens</source>
        <translation>平均回答词元数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>thinking budget (max thinking tokens)</source>
        <translation>思考预算（最大思考词元数）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No evaluations of this benchmark differ only by their thinking budget (max_thinking_tokens). Evaluate one model with several budgets to see accuracy against budget here.</source>
        <translation>此基准没有仅在思考预算（max_thinking_tokens）上不同的评测。用多个预算评测同一模型，即可在此查看准确率随预算的变化。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>response tokens</source>
        <translation>回答词元数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>responses</source>
        <translation>回答数</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+309"/>
        <source>Select a row of the table.</source>
        <translation>请在表格中选择一行。</translation>
    </message>
    <message>
        <location line="-300"/>
        <source>pass@1 by training step</source>
        <translation>pass@1 随训练步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean response length by training step</source>
        <translation>平均回答长度随训练步数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Response lengths of the selected row</source>
        <translation>所选行的回答长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accuracy by thinking budget</source>
        <translation>准确率随思考预算</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Double-click a row of the table to list its problems.</source>
        <translation>双击表格中的一行以列出其题目。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Could not read the evaluations: %1</source>
        <translation>无法读取评测：%1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Could not read the responses: %1</source>
        <translation>无法读取回答：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Problems of #%1 %2 on %3: %4 problems. Select one to see its responses.</source>
        <translation>#%1 %2 在 %3 上的题目：共 %4 道。选择一道以查看其回答。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Evaluate</source>
        <translation>评测</translation>
    </message>
    <message numerus="yes">
        <location line="+94"/>
        <source>%n evaluation(s)</source>
        <translation>
            <numerusform>%n 项评测</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n 个运行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+108"/>
        <source>#%1 %2 on %3: %n response(s), mean %4 tokens</source>
        <translation>
            <numerusform>#%1 %2 在 %3 上：%n 个回答，平均 %4 个词元</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Reading the responses…</source>
        <translation>正在读取回答…</translation>
    </message>
</context>
<context>
    <name>distill::widgets::EvalProblemModel</name>
    <message>
        <location filename="../widgets/models/eval_problem_model.cpp" line="+85"/>
        <source>%1 ×%2</source>
        <translation>%1 ×%2</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Problem</source>
        <translation>题目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Correct</source>
        <translation>正确数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extracted answers</source>
        <translation>提取的答案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
</context>
<context>
    <name>distill::widgets::EvalResponseModel</name>
    <message>
        <location line="+18"/>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>incorrect</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Extracted answer</source>
        <translation>提取的答案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
</context>
<context>
    <name>distill::widgets::EvalResultsModel</name>
    <message>
        <location filename="../widgets/models/eval_results_model.cpp" line="+171"/>
        <source>The run&apos;s config names no token limit, so whether a stored response was cut off is unknown.</source>
        <translation>该运行的配置未给出词元上限，因此无法得知已存储的回答是否被截断。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run #%1 (%2)</source>
        <translation>运行 #%1（%2）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>#%1 %2</source>
        <translation>#%1 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>[%1, %2]</source>
        <translation>[%1, %2]</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Benchmark</source>
        <translation>基准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems</source>
        <translation>题目数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pass@1</source>
        <translation>pass@1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>95% CI</source>
        <translation>95% 置信区间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pass@k</source>
        <translation>pass@k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cons@k</source>
        <translation>cons@k</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean tokens</source>
        <translation>平均词元数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Truncated</source>
        <translation>截断比例</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Responses per problem (the smallest count over the problems).</source>
        <translation>每道题的回答数（各题中的最小值）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean over problems of the share of correct responses.</source>
        <translation>各题正确回答比例的平均值。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Percentile bootstrap interval of pass@1, resampling problems.</source>
        <translation>对题目重采样得到的 pass@1 百分位 bootstrap 区间。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chance that at least one of k responses is correct (the unbiased estimator).</source>
        <translation>k 个回答中至少有一个正确的概率（无偏估计）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share of problems whose majority answer over the k responses is correct.</source>
        <translation>k 个回答的多数答案正确的题目比例。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mean over problems of the mean response length in tokens.</source>
        <translation>各题平均回答长度（词元）的平均值。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share of responses that reached the token limit.</source>
        <translation>达到词元上限的回答比例。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::FreezeDialog</name>
    <message>
        <location filename="../widgets/views/freeze_dialog.cpp" line="+39"/>
        <source>Freeze dataset</source>
        <translation>冻结数据集</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>for example: math-r1-v1</source>
        <translation>例如：math-r1-v1</translation>
    </message>
    <message numerus="yes">
        <location line="+57"/>
        <source>%n sample(s) match the current filter.</source>
        <translation>
            <numerusform>当前筛选条件匹配 %n 个样本。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-52"/>
        <source>OpenAI messages (TRL, LLaMA-Factory)</source>
        <translation>OpenAI 消息格式（TRL、LLaMA-Factory）</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Counting the samples that match the current filter…</source>
        <translation>正在统计符合当前筛选条件的样本…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ShareGPT conversations</source>
        <translation>ShareGPT 对话格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt/completion in the R1 template</source>
        <translation>R1 模板的提示/补全格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>leave empty to freeze without exporting</source>
        <translation>留空则只冻结、不导出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recipe:</source>
        <translation>配方：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export format:</source>
        <translation>导出格式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export file:</source>
        <translation>导出文件：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Freeze</source>
        <translation>冻结</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Export dataset</source>
        <translation>导出数据集</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wait until the samples are counted.</source>
        <translation>请等待样本统计完成。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter a name for the dataset.</source>
        <translation>请输入数据集名称。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A dataset named “%1” exists already; choose another name.</source>
        <translation>名为“%1”的数据集已存在；请另选名称。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Freezing…</source>
        <translation>正在冻结…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Freezing failed: %1</source>
        <translation>冻结失败：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Froze %1 samples as “%2” (content hash %3).</source>
        <translation>已将 %1 个样本冻结为“%2”（内容哈希 %3）。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exported %1 records to %2.</source>
        <translation>已导出 %1 条记录到 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::GeneratePage</name>
    <message>
        <location filename="../widgets/views/generate_page.cpp" line="+65"/>
        <source>Handed to the job in its environment; never written to the spec or the workspace.</source>
        <translation>通过环境变量交给任务；从不写入任务配置或工作区。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remember in the system keychain</source>
        <translation>保存在系统钥匙串中</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No keychain support in this build: the key is kept for this session only.</source>
        <translation>此版本不支持钥匙串：密钥只在本次会话中保留。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Expected completion tokens per sample, for the estimate.</source>
        <translation>每个样本预计的补全 token 数，用于估算。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Expected completion tokens per second over all requests, for the time estimate.</source>
        <translation>所有请求合计每秒预计的补全 token 数，用于估算时间。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Expected tokens per sample</source>
        <translation>每个样本预计 token 数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expected tokens/s</source>
        <translation>预计 token/秒</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start generation</source>
        <translation>开始生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not running.</source>
        <translation>未在运行。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>Key and estimate</source>
        <translation>密钥与估算</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>Estimate: %1 samples, about %2 completion tokens, cost about %3, time about %4.</source>
        <translation>估算：%1 个样本，约 %2 个补全 token，费用约 %3，耗时约 %4。</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Could not store the API key in the keychain: %1</source>
        <translation>无法把 API 密钥保存到钥匙串：%1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not write the job spec next to the workspace.</source>
        <translation>无法在工作区旁写入任务配置。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Stopping after the requests in flight…</source>
        <translation>等进行中的请求完成后停止…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 of %2 samples, %3 left, %4 samples/s, %5 tokens/s</source>
        <translation>%1 / %2 个样本，剩余 %3，%4 样本/秒，%5 token/秒</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>, %1 requests in flight</source>
        <translation>，%1 个请求进行中</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Accepted %1, rejected %2, failed %3, cost %4</source>
        <translation>接受 %1，拒绝 %2，失败 %3，费用 %4</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Finished in %1.</source>
        <translation>用时 %1 完成。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped; resume by starting the same settings again.</source>
        <translation>已停止；用相同设置再次开始即可续跑。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed: see the errors.</source>
        <translation>失败：请查看错误列表。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::GroupInspector</name>
    <message>
        <location filename="../widgets/views/group_inspector.cpp" line="+33"/>
        <source>#%1  reward %2  advantage %3</source>
        <translation>#%1  奖励 %2  优势 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>  (truncated)</source>
        <translation>  （已截断）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No group records in this run.</source>
        <translation>此运行没有分组记录。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>&lt;b&gt;Prompt %1&lt;/b&gt;: %2&lt;br&gt;&lt;b&gt;Reference&lt;/b&gt;: %3</source>
        <translation>&lt;b&gt;提示 %1&lt;/b&gt;：%2&lt;br&gt;&lt;b&gt;参考答案&lt;/b&gt;：%3</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 prompts, %2 completions, %3 groups with equal rewards (no signal)</source>
        <translation>%1 个提示，%2 个补全，%3 组奖励全相同（无信号）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, %1 unreadable lines</source>
        <translation>，%1 行无法读取</translation>
    </message>
</context>
<context>
    <name>distill::widgets::GrpoPage</name>
    <message>
        <location filename="../widgets/views/grpo_page.cpp" line="+46"/>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Groups</source>
        <translation>分组</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KL</source>
        <translation>KL</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entropy</source>
        <translation>熵</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Response length</source>
        <translation>回答长度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Groups without signal</source>
        <translation>无信号的组</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>GRPO</source>
        <translation>GRPO</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>reward flat for %1 steps (range %2) at step %3</source>
        <translation>奖励已连续 %1 步持平（范围 %2），第 %3 步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>KL %1 above %2 at step %3</source>
        <translation>KL %1 超过 %2，第 %3 步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>entropy collapsed to %1 at step %2</source>
        <translation>熵坍缩到 %1，第 %2 步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 % of groups all-same (no signal) at step %2</source>
        <translation>%1% 的组结果全相同（无信号），第 %2 步</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Health alarms</source>
        <translation>健康警报</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ImportDialog</name>
    <message>
        <location filename="../widgets/views/import_dialog.cpp" line="+30"/>
        <source>Auto-detect</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI messages</source>
        <translation>OpenAI 消息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ShareGPT conversations</source>
        <translation>ShareGPT 对话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alpaca instructions</source>
        <translation>Alpaca 指令</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reasoning traces</source>
        <translation>推理轨迹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problem set</source>
        <translation>题目集</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+78"/>
        <source>Import records</source>
        <translation>导入记录</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Auto (samples when responses exist)</source>
        <translation>自动（有回答时创建样本）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems only</source>
        <translation>仅题目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems and samples</source>
        <translation>题目和样本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default: the file name</source>
        <translation>默认：文件名</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create:</source>
        <translation>创建：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source name:</source>
        <translation>来源名称：</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+15"/>
        <source>Line</source>
        <translation>行号</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Preview of the first records</source>
        <translation>前几条记录预览</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Problems found</source>
        <translation>发现的问题</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>JSON Lines or JSON (*.jsonl *.json);;All files (*)</source>
        <translation>JSON Lines 或 JSON (*.jsonl *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Reading the first records…</source>
        <translation>正在读取前几条记录…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Detected format: %1 · read as: %2</source>
        <translation>检测到的格式：%1 · 按此读取：%2</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Importing… %1 MB of %2 MB, about %3 left</source>
        <translation>正在导入… %1 MB / %2 MB，约剩 %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Importing… %1 MB</source>
        <translation>正在导入… %1 MB</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Import failed: %1</source>
        <translation>导入失败：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import cancelled; nothing was written.</source>
        <translation>导入已取消，未写入任何内容。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Imported %1 records (%2 problems, %3 samples) as %4; %5 skipped.</source>
        <translation>已按“%4”导入 %1 条记录（%2 道题目，%3 个样本）；跳过 %5 条。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::JobForm</name>
    <message>
        <location filename="../widgets/views/job_form.cpp" line="+33"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filters</source>
        <translation>过滤器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dedup and decontamination</source>
        <translation>去重与去污染</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejection and selection</source>
        <translation>拒绝采样与题目选择</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Protocol</source>
        <translation>协议</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems</source>
        <translation>题目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Teacher</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verification</source>
        <translation>验证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>LoRA</source>
        <translation>LoRA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rollouts</source>
        <translation>采样轨迹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewards</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Objective</source>
        <translation>目标函数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Benchmarks</source>
        <translation>基准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distillation</source>
        <translation>蒸馏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Early stopping</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Judge</source>
        <translation>评判模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stages</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>The run&apos;s name in the run lists</source>
        <translation>该运行在运行列表中显示的名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Advanced keys</source>
        <translation>高级配置项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Also show the keys most jobs leave at their defaults.</source>
        <translation>同时显示大多数任务保持默认值的配置项。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy as CLI command</source>
        <translation>复制为 CLI 命令</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copies shell lines that write this spec and run it with distillery-cli.</source>
        <translation>复制几行 shell 命令：写出此任务配置并用 distillery-cli 运行。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Apply to the form</source>
        <translation>应用到表单</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Form</source>
        <translation>表单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <location line="+105"/>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+415"/>
        <source>Cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::JobSpec</name>
    <message>
        <location filename="../widgets/models/job_spec.cpp" line="+83"/>
        <source>The spec is of kind &apos;%1&apos;, not &apos;%2&apos;.</source>
        <translation>任务配置的类型是“%1”，而不是“%2”。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::KeyField</name>
    <message>
        <location filename="../widgets/views/key_field.cpp" line="+86"/>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Pick a value</source>
        <translation>选择一个值</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Browse</source>
        <translation>浏览</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default: %1</source>
        <translation>默认值：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Range: %1</source>
        <translation>范围：%1</translation>
    </message>
    <message>
        <location line="+84"/>
        <location line="+14"/>
        <source>a value is required</source>
        <translation>必须填写一个值</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>&apos;%1&apos; is not a whole number</source>
        <translation>“%1”不是整数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&apos;%1&apos; is not a number</source>
        <translation>“%1”不是数字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is outside %2</source>
        <translation>%1 超出范围 %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a list of values</source>
        <translation>不是值列表</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
</context>
<context>
    <name>distill::widgets::MainWindow</name>
    <message>
        <location filename="../widgets/views/main_window.cpp" line="+134"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New workspace…</source>
        <translation>新建工作区(&amp;N)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open workspace…</source>
        <translation>打开工作区(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Import records…</source>
        <translation>导入记录(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Freeze/export dataset…</source>
        <translation>冻结/导出数据集(&amp;F)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Distillery</source>
        <translation>关于 Distillery(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About Distillery</source>
        <translation>关于 Distillery</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Distillery %1&lt;/b&gt;&lt;p&gt;Curate chain-of-thought data and distil a reasoning teacher into a small student model.&lt;/p&gt;&lt;p&gt;GPL-3.0-or-later.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Distillery %1&lt;/b&gt;&lt;p&gt;整理思维链数据，并将推理教师模型蒸馏为小型学生模型。&lt;/p&gt;&lt;p&gt;许可证：GPL-3.0-or-later。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+17"/>
        <source>Cannot open workspace %1:
%2</source>
        <translation>无法打开工作区 %1：
%2</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>the file does not exist.</source>
        <translation>文件不存在。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>New workspace</source>
        <translation>新建工作区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distillery workspace (*.distillery)</source>
        <translation>Distillery 工作区 (*.distillery)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 already exists; use Open workspace to open it.</source>
        <translation>%1 已存在，请使用“打开工作区”打开它。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Distillery workspace (*.distillery);;All files (*)</source>
        <translation>Distillery 工作区 (*.distillery);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+69"/>
        <location line="+26"/>
        <source>Distillery</source>
        <translation>Distillery</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>No workspace open. Use File › New workspace or Open workspace.</source>
        <translation>尚未打开工作区。请使用“文件 › 新建工作区”或“打开工作区”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 — Distillery</source>
        <translation>%1 — Distillery</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 · %2 problems · %3 samples · %4 datasets</source>
        <translation>%1 · %2 道题目 · %3 个样本 · %4 个数据集</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ModelInspector</name>
    <message>
        <location filename="../widgets/models/model_inspector.cpp" line="+55"/>
        <source>Only a SentencePiece tokenizer.model; chatting needs tokenizer.json.</source>
        <translation>只有 SentencePiece 的 tokenizer.model；对话需要 tokenizer.json。</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The folder does not exist.</source>
        <translation>文件夹不存在。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No config.json: this is not a Hugging Face model folder.</source>
        <translation>没有 config.json：这不是 Hugging Face 模型文件夹。</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ModelListModel</name>
    <message>
        <location filename="../widgets/models/model_list_model.cpp" line="+19"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Weights readable; tokenizer: %1</source>
        <translation>权重可读；分词器：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ready (no tokenizer.json, no chat)</source>
        <translation>就绪（无 tokenizer.json，不能对话）</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hidden</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Heads</source>
        <translation>头数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head dim</source>
        <translation>头维度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shards</source>
        <translation>分片数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenizer.json</source>
        <translation>tokenizer.json</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>EOS token</source>
        <translation>结束词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ModelsPage</name>
    <message>
        <location filename="../widgets/views/models_page.cpp" line="+55"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export GGUF…</source>
        <translation>导出 GGUF…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add model folder…</source>
        <translation>添加模型文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Hugging Face model folder: config.json, safetensors weights, tokenizer files.</source>
        <translation>Hugging Face 模型文件夹：config.json、safetensors 权重、分词器文件。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove the selected model from the list (the folder stays on disk).</source>
        <translation>从列表中移除所选模型（文件夹仍保留在磁盘上）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read every folder again.</source>
        <translation>重新读取所有文件夹。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add run checkpoint…</source>
        <translation>添加运行检查点…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A checkpoint of one of the workspace&apos;s training runs.</source>
        <translation>工作区某个训练运行的检查点。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write the selected model as one GGUF file for llama.cpp, Ollama and LM Studio.</source>
        <translation>将所选模型写成一个 GGUF 文件，供 llama.cpp、Ollama 和 LM Studio 使用。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hidden size</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intermediate size</source>
        <translation>中间层维度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head dim</source>
        <translation>头维度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tied embeddings</source>
        <translation>共享词嵌入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stored dtype</source>
        <translation>存储数据类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tensors</source>
        <translation>张量数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Shards</source>
        <translation>分片数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>tokenizer.json</source>
        <translation>tokenizer.json</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chat template</source>
        <translation>对话模板</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>EOS token</source>
        <translation>结束词元</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Details</source>
        <translation>详细信息</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Add a model folder</source>
        <translation>添加模型文件夹</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Open a workspace to list its runs&apos; checkpoints.</source>
        <translation>请打开一个工作区以列出其运行的检查点。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The workspace&apos;s training runs have no checkpoints yet.</source>
        <translation>工作区的训练运行尚无检查点。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run #%1 %2 · step %3</source>
        <translation>运行 #%1 %2 · 第 %3 步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add run checkpoint</source>
        <translation>添加运行检查点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Checkpoint:</source>
        <translation>检查点：</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+7"/>
        <source>Export GGUF</source>
        <translation>导出 GGUF</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Weights (q8_0: half the size of f16, close to its outputs):</source>
        <translation>权重（q8_0：大小为 f16 的一半，输出与之接近）：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>GGUF (*.gguf)</source>
        <translation>GGUF (*.gguf)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exporting %1 as %2…</source>
        <translation>正在将 %1 导出为 %2…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exported %1 (%2).</source>
        <translation>已导出 %1（%2）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Add a Hugging Face model folder to see its details.</source>
        <translation>添加一个 Hugging Face 模型文件夹以查看其详细信息。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 (config.json: %2)</source>
        <translation>%1（config.json：%2）</translation>
    </message>
</context>
<context>
    <name>distill::widgets::PipelineCurves</name>
    <message>
        <location filename="../widgets/views/pipeline_curves.cpp" line="+30"/>
        <source>SFT training loss</source>
        <translation>SFT 训练损失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>GRPO mean rollout reward</source>
        <translation>GRPO 平均 rollout 奖励</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pass@1 at each evaluation</source>
        <translation>每次评测的 pass@1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>evaluation, in pipeline order</source>
        <translation>评测（按流水线顺序）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>reward</source>
        <translation>奖励</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pass@1</source>
        <translation>pass@1</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>distill::widgets::PipelinePage</name>
    <message>
        <location filename="../widgets/views/pipeline_page.cpp" line="+70"/>
        <source>Load recipe</source>
        <translation>加载配方</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>续跑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit stage…</source>
        <translation>编辑阶段…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit the selected stage with its job form</source>
        <translation>用任务表单编辑所选阶段</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not running.</source>
        <translation>未在运行。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>pass@1 before → after</source>
        <translation>pass@1 之前 → 之后</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Recipe:</source>
        <translation>配方：</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Open a pipeline</source>
        <translation>打开流水线</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+5"/>
        <source>YAML (*.yaml *.yml)</source>
        <translation>YAML (*.yaml *.yml)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save the pipeline</source>
        <translation>保存流水线</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The pipeline reads.</source>
        <translation>流水线可正常读取。</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+135"/>
        <source>Invalid: %1</source>
        <translation>无效：%1</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Pipeline run #%1 running.</source>
        <translation>流水线运行 #%1 进行中。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 of %2, %3 s left</source>
        <translation>%1 / %2，剩余 %3 秒</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Pipeline run #%1 finished.</source>
        <translation>流水线运行 #%1 已完成。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pipeline run #%1 stopped: Resume goes on with the unfinished stage.</source>
        <translation>流水线运行 #%1 已停止：“续跑”会从未完成的阶段继续。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pipeline run #%1 failed.</source>
        <translation>流水线运行 #%1 失败。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Pipeline</source>
        <translation>流水线</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loaded %1.</source>
        <translation>已加载 %1。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Cannot edit the stage: %1</source>
        <translation>无法编辑该阶段：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>there is no such stage</source>
        <translation>没有这个阶段</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Cannot write the stage back: %1</source>
        <translation>无法写回该阶段：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the stages changed</source>
        <translation>阶段已改变</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stage %1 edited.</source>
        <translation>阶段 %1 已编辑。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Stage %1 (%2)</source>
        <translation>阶段 %1（%2）</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+9"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>resumed</source>
        <translation>已续跑</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not write the job spec next to the workspace.</source>
        <translation>无法在工作区旁写入任务配置。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Resuming pipeline run #%1…</source>
        <translation>正在续跑流水线运行 #%1…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stopping after the current unit of the stage in flight…</source>
        <translation>等当前阶段进行中的单元完成后停止…</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>Pipeline run #%1: %2.</source>
        <translation>流水线运行 #%1：%2。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The report could not be read: %1</source>
        <translation>无法读取报告：%1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::PlaygroundPage</name>
    <message>
        <location filename="../widgets/views/playground_page.cpp" line="+83"/>
        <source>end of turn</source>
        <translation>回合结束</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max new tokens reached</source>
        <translation>达到最大新词元数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Models of the Models page that have a tokenizer, and the checkpoints of training runs.</source>
        <translation>“模型”页中带分词器的模型，以及训练运行的检查点。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a model on the Models page</source>
        <translation>请在“模型”页添加模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load the chosen model (again).</source>
        <translation>（重新）加载所选模型。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Message (Ctrl+Enter sends)</source>
        <translation>消息（Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>End the reply after the next token; what was generated is kept.</source>
        <translation>在下一个词元后结束回复；已生成的内容会保留。</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>0 = greedy: always the most likely token.</source>
        <translation>0 = 贪心解码：总是取概率最高的词元。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nucleus sampling: keep the most likely tokens that cover this share of probability.</source>
        <translation>核采样：保留累计概率达到该比例的最可能词元。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sample only among the K most likely tokens.</source>
        <translation>只在概率最高的 K 个词元中采样。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The reply ends after this many tokens (thinking included).</source>
        <translation>回复在这么多词元后结束（含思考部分）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The same seed and settings give the same reply.</source>
        <translation>相同的种子和设置给出相同的回复。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-p:</source>
        <translation>Top-p：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Top-k:</source>
        <translation>Top-k：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max new tokens:</source>
        <translation>最大新词元数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed:</source>
        <translation>种子：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the reply with &lt;think&gt;</source>
        <translation>以 &lt;think&gt; 开始回复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End the prompt in &quot;&lt;think&gt;\n&quot; when the chat template does not open thinking itself.</source>
        <translation>当对话模板本身不开启思考时，在提示末尾加上 &quot;&lt;think&gt;\n&quot;。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After this many thinking tokens, &quot;&lt;/think&gt;&quot; is forced and the answer begins.</source>
        <translation>思考达到这么多词元后，强制插入 &quot;&lt;/think&gt;&quot;，开始作答。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>An earlier end of thinking is replaced by &quot;Wait&quot; so the model thinks on.</source>
        <translation>过早结束的思考会被替换为 &quot;Wait&quot;，让模型继续思考。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>How often an early end of thinking may be replaced by &quot;Wait&quot;.</source>
        <translation>过早结束的思考最多可被替换为 &quot;Wait&quot; 的次数。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Budget forcing</source>
        <translation>预算强制</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Max thinking tokens:</source>
        <translation>最大思考词元数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Min thinking tokens:</source>
        <translation>最小思考词元数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Max &quot;Wait&quot;s:</source>
        <translation>最多 &quot;Wait&quot; 次数：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A system message sent before the conversation.</source>
        <translation>在对话之前发送的系统消息。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System prompt</source>
        <translation>系统提示</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Playground</source>
        <translation>试验场</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 › %2</source>
        <translation>%1 › %2</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 loaded.</source>
        <translation>%1 已加载。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 loaded; no chat template: the last message is continued as plain text.</source>
        <translation>%1 已加载；没有对话模板：最后一条消息将作为纯文本续写。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Cannot load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>A reply is still being generated.</source>
        <translation>仍在生成回复。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose a model first (add one on the Models page).</source>
        <translation>请先选择模型（可在“模型”页添加）。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Generating… %1 tokens · %2 tokens/s</source>
        <translation>正在生成… %1 个词元 · %2 词元/秒</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>(empty reply)</source>
        <translation>（空回复）</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+4"/>
        <source>Generation failed: %1</source>
        <translation>生成失败：%1</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Generation failed.</source>
        <translation>生成失败。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 prompt tokens · %2 generated (%3 thinking) · %4 s · %5 tokens/s · first token after %6 s · %7</source>
        <translation>提示 %1 个词元 · 生成 %2 个（思考 %3 个）· %4 秒 · %5 词元/秒 · 首个词元用时 %6 秒 · %7</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> · &quot;Wait&quot; inserted %1×</source>
        <translation> · 插入 &quot;Wait&quot; %1 次</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ProblemBrowserPage</name>
    <message numerus="yes">
        <location filename="../widgets/views/problem_browser_page.cpp" line="+114"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n 道题目</numerusform>
        </translation>
    </message>
    <message>
        <location line="-61"/>
        <source>Problem</source>
        <translation>题目</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reference answer and solution</source>
        <translation>参考答案与解答</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Problems</source>
        <translation>题目</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Answer: %1</source>
        <translation>答案：%1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::ProblemTableModel</name>
    <message>
        <location filename="../widgets/models/problem_table_model.cpp" line="+71"/>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source ID</source>
        <translation>来源编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Domain</source>
        <translation>领域</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Difficulty</source>
        <translation>难度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference answer</source>
        <translation>参考答案</translation>
    </message>
</context>
<context>
    <name>distill::widgets::RunController</name>
    <message>
        <location filename="../widgets/models/run_controller.cpp" line="+115"/>
        <source>Cannot start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>The job crashed</source>
        <translation>任务崩溃</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The job ended with exit code %1</source>
        <translation>任务以退出码 %1 结束</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Error (%1): %2 %3</source>
        <translation>错误（%1）：%2 %3</translation>
    </message>
</context>
<context>
    <name>distill::widgets::RunListModel</name>
    <message>
        <location filename="../widgets/models/run_list_model.cpp" line="+201"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Best metrics</source>
        <translation>最佳指标</translation>
    </message>
</context>
<context>
    <name>distill::widgets::RunMonitor</name>
    <message>
        <location filename="../widgets/views/run_monitor.cpp" line="+34"/>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Check runs to overlay their curves.</source>
        <translation>勾选运行以叠加显示其曲线。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>step</source>
        <translation>步</translation>
    </message>
</context>
<context>
    <name>distill::widgets::RunPage</name>
    <message>
        <location filename="../widgets/views/run_page.cpp" line="+27"/>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume selected</source>
        <translation>续跑所选运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not running.</source>
        <translation>未在运行。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Run #%1 running.</source>
        <translation>运行 #%1 进行中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run #%1: step %2 of %3, %4 s left.</source>
        <translation>运行 #%1：第 %2 / %3 步，剩余 %4 秒。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Run #%1 %2.</source>
        <translation>运行 #%1 %2。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Data-parallel GPUs</source>
        <translation>数据并行 GPU</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Run one process on %1 (data parallel over the ticked GPUs)</source>
        <translation>在 %1 上运行一个进程（在勾选的 GPU 间数据并行）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>CPU only: libtorch sees no GPU.</source>
        <translation>仅 CPU：libtorch 未检测到 GPU。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>%1: %2, %3 MiB, %4 MiB used, %5 % busy</source>
        <translation>%1：%2，%3 MiB，已用 %4 MiB，占用 %5%</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Cannot start: %1</source>
        <translation>无法启动：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not write the job spec next to the workspace.</source>
        <translation>无法在工作区旁写入任务配置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Stopping after the current step…</source>
        <translation>当前步完成后停止…</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleBrowserPage</name>
    <message>
        <location filename="../widgets/views/sample_browser_page.cpp" line="+34"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Accept (A)</source>
        <translation>接受 (A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject (R)</source>
        <translation>拒绝 (R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flag (F)</source>
        <translation>标记 (F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next (J)</source>
        <translation>下一个 (J)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous (K)</source>
        <translation>上一个 (K)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Accept all matching…</source>
        <translation>接受所有匹配的样本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject all matching…</source>
        <translation>拒绝所有匹配的样本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tag all matching…</source>
        <translation>为所有匹配的样本加标签…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tag samples</source>
        <translation>为样本加标签</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Tag for the %n sample(s) matching the filter:</source>
        <translation>
            <numerusform>为符合筛选条件的 %n 个样本添加的标签：</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Freeze as dataset…</source>
        <translation>冻结为数据集…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All matching</source>
        <translation>所有匹配项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Actions on every sample matching the filter, with progress; undo takes them back.</source>
        <translation>对符合筛选条件的每个样本执行操作并显示进度；撤销可将其还原。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message numerus="yes">
        <location line="+74"/>
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n 个样本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+126"/>
        <source>Accept all %n sample(s) matching the filter?</source>
        <translation>
            <numerusform>接受符合筛选条件的全部 %n 个样本？</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Reject all %n sample(s) matching the filter?</source>
        <translation>
            <numerusform>拒绝符合筛选条件的全部 %n 个样本？</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All matching samples</source>
        <translation>所有匹配的样本</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Accept all matching</source>
        <translation>接受所有匹配的样本</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reject all matching</source>
        <translation>拒绝所有匹配的样本</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tag all matching &apos;%1&apos;</source>
        <translation>为所有匹配的样本加标签“%1”</translation>
    </message>
    <message numerus="yes">
        <location line="+30"/>
        <source>%1: %n sample(s) changed</source>
        <translation>
            <numerusform>%1：%n 个样本有变更</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> (cancelled)</source>
        <translation>（已取消）</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Undone: %n sample(s)</source>
        <translation>
            <numerusform>已撤销：%n 个样本</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Redone: %n sample(s)</source>
        <translation>
            <numerusform>已重做：%n 个样本</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleCommands</name>
    <message>
        <location filename="../widgets/views/sample_commands.cpp" line="+16"/>
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reject reason</source>
        <translation>拒绝原因</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Edit %1 of sample %2</source>
        <translation>编辑样本 %2 的%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Accept sample %1</source>
        <translation>接受样本 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject sample %1</source>
        <translation>拒绝样本 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset sample %1</source>
        <translation>重置样本 %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Unflag sample %1</source>
        <translation>取消标记样本 %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Flag sample %1</source>
        <translation>标记样本 %1</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleDetailPane</name>
    <message>
        <location filename="../widgets/views/sample_detail_pane.cpp" line="+54"/>
        <source>Edit history…</source>
        <translation>编辑历史…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every edit of this sample&apos;s thinking and answer, with the text before and after.</source>
        <translation>此样本思考和回答的每一次编辑，以及编辑前后的文本。</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No sample selected</source>
        <translation>未选择样本</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sample %1 · %2 · %3 · %4</source>
        <translation>样本 %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> · edited</source>
        <translation> · 已编辑</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reference answer: %1</source>
        <translation>参考答案：%1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Thinking (%n tokens)</source>
        <translation>
            <numerusform>思考（%n 个词元）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Answer (%n tokens)</source>
        <translation>
            <numerusform>回答（%n 个词元）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleFilterBar</name>
    <message>
        <location filename="../widgets/views/sample_filter_bar.cpp" line="+25"/>
        <source>Search question, thinking and answer…</source>
        <translation>搜索问题、思考和回答…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any verdict</source>
        <translation>任意判定</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Any status</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+102"/>
        <source>All sources</source>
        <translation>全部来源</translation>
    </message>
    <message>
        <location line="-96"/>
        <location line="+15"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Thinking tokens (0 = no limit)</source>
        <translation>思考词元数（0 表示不限）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reject reason: incorrect, a failed filter, duplicate, …</source>
        <translation>拒绝原因：答案错误、未通过的过滤器、重复……</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Any score</source>
        <translation>任意分数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language mix (%)</source>
        <translation>语言混杂 (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longest paragraph (words)</source>
        <translation>最长段落（词）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeated n-grams (%)</source>
        <translation>重复 n-gram (%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A range on one readability score; samples without the score are left out</source>
        <translation>按一项可读性分数的范围筛选；没有该分数的样本不列出</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Clear filters</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Thinking tokens:</source>
        <translation>思考词元数：</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Any reason</source>
        <translation>任意原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No reason</source>
        <translation>无原因</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SampleTableModel</name>
    <message>
        <location filename="../widgets/models/sample_table_model.cpp" line="+80"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incorrect</source>
        <translation>错误</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>candidate</source>
        <translation>待审</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>teacher</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>import</source>
        <translation>导入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>human</source>
        <translation>人工</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reference</source>
        <translation>参考解答</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>ID</source>
        <translation>编号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problem</source>
        <translation>题目</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thinking
tokens</source>
        <translation>思考词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer
tokens</source>
        <translation>回答词元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Origin</source>
        <translation>来源</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flags</source>
        <translation>标记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reject
reason</source>
        <translation>拒绝
原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language
mix</source>
        <translation>语言
混杂</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longest
paragraph</source>
        <translation>最长
段落</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Repeated
n-grams</source>
        <translation>重复
n-gram</translation>
    </message>
</context>
<context>
    <name>distill::widgets::SettingsDialog</name>
    <message>
        <location filename="../widgets/views/settings_dialog.cpp" line="+16"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A new language takes effect the next time Distillery starts.</source>
        <translation>新语言将在下次启动 Distillery 时生效。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
</context>
<context>
    <name>distill::widgets::TrainPage</name>
    <message>
        <location filename="../widgets/views/train_page.cpp" line="+13"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tokens/s</source>
        <translation>token/秒</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Train</source>
        <translation>训练</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="+34"/>
        <source>Curate chain-of-thought data and distil a reasoning teacher.</source>
        <translation>整理思维链数据并蒸馏推理教师模型。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open (or create) the workspace at &lt;path&gt;.</source>
        <translation>打开（或创建）位于 &lt;path&gt; 的工作区。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Start on page &lt;n&gt; of the navigation (0: Samples).</source>
        <translation>启动时显示导航中的第 &lt;n&gt; 页（0：样本）。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Render every page to &lt;dir&gt;/&lt;page&gt;.png once loaded, then exit.</source>
        <translation>加载完成后将每个页面渲染为 &lt;dir&gt;/&lt;page&gt;.png，然后退出。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dir</source>
        <translation>目录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show the Pipeline page; on a workspace without a pipeline run, run the toy demo there.</source>
        <translation>显示流水线页面；若工作区还没有流水线运行，就在那里运行玩具演示。</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>path</source>
        <translation>路径</translation>
    </message>
</context>
</TS>
