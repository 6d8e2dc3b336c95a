// Tests of the job spec descriptions (core/run/spec_schema.h) of every kind: every key is described
// (doc, group, a default of its type, choices that hold it), a minimal spec of each kind resolves to
// YAML that reads back to itself, the reader is strict with lines, discriminated sections reject the
// keys of another variant, and --explain lists every key.
#include "core/run/spec_schema.h"
#include "core/train/job_kinds.h"
#include "core/util/error.h"

#include <QtTest>

#include <map>
#include <string>

using namespace distill;

namespace {

const run::JobRegistry& registry()
{
    static const run::JobRegistry r = train::allJobKinds();
    return r;
}

// The smallest spec of each kind.
const std::map<std::string, std::string>& minimalSpecs()
{
    static const std::map<std::string, std::string> specs = {
        {"generate", "kind: generate\ntoy: {count: 2}\nteacher: {type: toy}\n"},
        {"curate", "kind: curate\n"},
        {"eval", "kind: eval\nmodel: m\nbenchmarks: [toy]\n"},
        {"sft", "kind: sft\ndata: {jsonl: a.jsonl}\nmodel: {path: m}\n"},
        {"grpo", "kind: grpo\nproblems: {toy: {count: 4}}\nmodel: {path: m}\n"},
        {"freeze", "kind: freeze\ndataset: d\n"},
        {"judge", "kind: judge\njudge: {type: openai, model: m}\n"},
        {"pipeline", "kind: pipeline\nstages:\n  - name: a\n    spec:\n      kind: freeze\n      dataset: d\n"},
    };
    return specs;
}

std::string errorOf(const std::string& spec)
{
    try {
        registry().parse(spec);
    } catch (const Error& e) {
        return e.detail();
    }
    return "no error";
}

bool defaultFits(const run::KeyDoc& k)
{
    const auto& d = k.defaultValue;
    if (d.is_null())
        return true;  // required, optional, or a value left to the server
    switch (k.type) {
    case run::KeyType::Bool: return d.is_boolean();
    case run::KeyType::Integer: return d.is_number_integer() && (!k.min || double(d.get<long long>()) >= *k.min)
                                       && (!k.max || double(d.get<long long>()) <= *k.max);
    case run::KeyType::Number: return d.is_number() && (!k.min || d.get<double>() >= *k.min) && (!k.max || d.get<double>() <= *k.max);
    case run::KeyType::Text: return d.is_string();
    case run::KeyType::Choice: return d.is_string() && std::find(k.choices.begin(), k.choices.end(), d.get<std::string>()) != k.choices.end();
    case run::KeyType::TextList: return d.is_array();
    case run::KeyType::SectionList: return d.is_array();
    case run::KeyType::Map: return d.is_object();
    case run::KeyType::Section: return false;
    }
    return false;
}

}  // namespace

class TestSpecSchema : public QObject {
    Q_OBJECT
private slots:
    void everyKindIsDescribed()
    {
        QCOMPARE(registry().kinds(), (std::vector<std::string>{"curate", "eval", "freeze", "generate", "grpo", "judge", "pipeline", "sft"}));
    }

    void everyKeyHasDocGroupAndAFittingDefault_data()
    {
        QTest::addColumn<QString>("kind");
        for (const auto& k : registry().kinds())
            QTest::newRow(k.c_str()) << QString::fromStdString(k);
    }

    void everyKeyHasDocGroupAndAFittingDefault()
    {
        QFETCH(QString, kind);
        const auto& schema = registry().schema(kind.toStdString());
        QVERIFY(!schema.doc().empty());
        int keys = 0;
        for (const auto& [path, k] : schema.allKeys()) {
            ++keys;
            QVERIFY2(!k->doc.empty() || k->type == run::KeyType::Section, path.c_str());
            QVERIFY2(!k->group.empty(), path.c_str());
            QVERIFY2(defaultFits(*k), path.c_str());
            QVERIFY2(k->type != run::KeyType::Choice || !k->choices.empty(), path.c_str());
        }
        QVERIFY(keys >= (kind == "pipeline" || kind == "freeze" ? 4 : 10));  // the two small kinds: stages, a query
    }

    void minimalSpecsRoundTrip_data()
    {
        QTest::addColumn<QString>("spec");
        for (const auto& [kind, spec] : minimalSpecs())
            QTest::newRow(kind.c_str()) << QString::fromStdString(spec);
    }

    void minimalSpecsRoundTrip()
    {
        QFETCH(QString, spec);
        const auto job = registry().parse(spec.toStdString());
        const std::string yaml = job->resolvedYaml();
        QVERIFY(yaml.starts_with("kind: " + job->kind() + "\nname: "));
        QCOMPARE(registry().parse(yaml)->resolvedYaml(), yaml);
    }

    void readerIsStrictWithLines()
    {
        QVERIFY(errorOf("kind: sft\ndata: {jsonl: a.jsonl}\nmodel: {path: m}\ntrain:\n  lr: 2e-5\n  lrr: 1\n")
                    .starts_with("line 6: unknown key 'lrr' in train"));
        QVERIFY(errorOf("kind: sft\ndata: {jsonl: a.jsonl}\nmodel: {path: m, dtype: fp8}\n")
                    .find("'dtype' in model must be one of auto, float32, bf16, got 'fp8'") != std::string::npos);
        QVERIFY(errorOf("kind: sft\ndata: {jsonl: a.jsonl}\nmodel: {path: m}\ntrain: {max_steps: -3}\n")
                    .find("'max_steps' in train must be in [0, 1000000000], got -3") != std::string::npos);
        QVERIFY(errorOf("kind: sft\ndata: {jsonl: a.jsonl}\nmodel: {}\n").find("missing required key 'path' in model")
                != std::string::npos);
        QVERIFY(errorOf("kind: sft\ndata: {jsonl: a.jsonl, datasets: [{name: d}]}\nmodel: {path: m}\n")
                    .find("exactly one of 'datasets' and 'jsonl'") != std::string::npos);
        QVERIFY(errorOf("kind: sft\ndata: {datasets: [{weight: 2}]}\nmodel: {path: m}\n")
                    .find("missing required key 'name' in data.datasets") != std::string::npos);
        QVERIFY(errorOf("kind: eval\nmodel: m\nbenchmarks: [toy]\ndevice: gpu\n").find("unknown device 'gpu'") != std::string::npos);
        // Bytes that are not UTF-8 (found by fuzz_job_spec: they reached a JSON dump of the teacher
        // section and ended the process) are refused at their line.
        QCOMPARE(errorOf("kind: generate\nproblems: {source: s}\nteacher:\n  type: openai\n  model: \"\xf6\"\n"),
                 std::string("job spec line 5: not valid UTF-8"));
    }

    // A discriminated section takes the keys of its variant only.
    void variantsTakeTheirOwnKeys()
    {
        QVERIFY(errorOf("kind: generate\ntoy: {count: 2}\nteacher: {type: toy, base_url: http://x}\n")
                    .find("'base_url' in teacher does not apply to type 'toy'") != std::string::npos);
        QVERIFY(errorOf("kind: grpo\nproblems: {toy: {count: 4}}\nmodel: {path: m}\nrewards: [{kind: format, pattern: x}]\n")
                    .find("'pattern' in rewards does not apply to kind 'format'") != std::string::npos);
        const auto job = registry().parse("kind: grpo\nproblems: {toy: {count: 4}}\nmodel: {path: m}\n"
                                          "rollout: {max_new_tokens: 100}\nrewards: [{kind: overlong}, {kind: regex, pattern: '[0-9]'}]\n");
        const std::string yaml = job->resolvedYaml();
        QVERIFY2(yaml.find("max_tokens: 100") != std::string::npos, yaml.c_str());  // the overlong limit follows the rollouts
        QVERIFY2(yaml.find("buffer: 25") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("name: regex") != std::string::npos, yaml.c_str());
        QCOMPARE(registry().parse(yaml)->resolvedYaml(), yaml);
    }

    void optionalSectionsStayAbsentUnlessGiven()
    {
        const std::string plain = registry().parse(minimalSpecs().at("sft"))->resolvedYaml();
        for (const char* section : {"teacher:", "lora:", "benchmark_eval:"})
            QVERIFY2(plain.find(section) == std::string::npos, section);
        const std::string withLora = registry().parse(minimalSpecs().at("sft") + "lora: {}\n")->resolvedYaml();
        QVERIFY2(withLora.find("lora:\n  rank: 16") != std::string::npos, withLora.c_str());
    }

    void explainListsEveryKey()
    {
        for (const auto& kind : registry().kinds()) {
            const auto& schema = registry().schema(kind);
            const auto described = schema.describe();
            QCOMPARE(described.at("kind").get<std::string>(), kind);
            QCOMPARE(described.at("keys").size(), schema.allKeys().size());
            const std::string md = schema.markdown();
            for (const auto& [path, k] : schema.allKeys())
                QVERIFY2(md.find("`" + path + "`") != std::string::npos, path.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestSpecSchema)
#include "tst_spec_schema.moc"
