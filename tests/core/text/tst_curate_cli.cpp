// distillery-cli curate end to end: import synthetic teacher samples into a fresh workspace, curate
// them with a YAML recipe, and read back verdicts, statuses and reject reasons from the store.
#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <fstream>
#include <map>

namespace {

struct Row {
    std::string problem, answer, domain, thinking, answerText;
};

std::string divisorThinking()
{
    return "Okay, so I need to count the positive divisors of 196. Let me factor it first.\n\n"
           "196 is even, so 196 = 2 * 98, and 98 = 2 * 49 = 2 * 7^2. So 196 = 2^2 * 7^2.\n\n"
           "The number of divisors is (2+1)(2+1) = 9. Listing them: 1, 2, 4, 7, 14, 28, 49, 98, 196. That is nine.";
}

// Four problems: a clean one with mixed samples, one with a duplicate sample, an AIME 2024 copy,
// and an easy one every sample solves.
std::vector<Row> rows()
{
    const std::string p1 = "Find the number of positive integers that divide one hundred ninety-six evenly.";
    const std::string longer = divisorThinking()
        + "\n\nLet me double-check with the pairing argument: divisors pair up as (d, 196/d), and 14 pairs with "
          "itself because 196 = 14^2, so the count is odd, which agrees with 9.";
    std::string wrong = divisorThinking();
    wrong.replace(wrong.find("(2+1)(2+1) = 9"), 14, "2*2 = 4");
    std::string loop = divisorThinking();
    for (int i = 0; i < 30; ++i)
        loop += " Wait, let me check again.";
    const std::string p2 = "A right triangle has legs of length 5 and 12. What is the length of its hypotenuse?";
    const std::string t2 = "By the Pythagorean theorem the hypotenuse is sqrt(5^2 + 12^2) = sqrt(25 + 144) = sqrt(169) = 13. "
                           "Checking: 13^2 = 169, and 25 + 144 = 169, so that works.";
    const std::string p3 = "Every morning Aya goes for a 9-kilometer-long walk and stops at a coffee shop afterwards. When "
                           "she walks at a constant speed of s kilometers per hour, the walk takes her 4 hours, including t "
                           "minutes spent in the coffee shop. Find t.";
    const std::string p4 = "What is the sum of the first ten positive integers?";
    const std::string t4 = "The sum 1 + 2 + ... + 10 equals 10 * 11 / 2 = 55. Pairing 1 with 10, 2 with 9 and so on gives "
                           "five pairs of 11, which is 55 again. As a third check, the running totals are 1, 3, 6, 10, "
                           "15, 21, 28, 36, 45 and finally 55, so every method lands on the same value and I am sure.";
    return {
        {p1, "9", "number_theory", longer, "There are $\\boxed{9}$ divisors."},                  // excess
        {p1, "9", "number_theory", divisorThinking(), "The answer is $\\boxed{9}$."},          // kept
        {p1, "9", "number_theory", wrong, "The answer is $\\boxed{4}$."},                       // incorrect
        {p1, "9", "number_theory", loop, "The answer is $\\boxed{9}$."},                        // filter
        {p2, "13", "geometry", t2, "The hypotenuse is $\\boxed{13}$."},                          // kept
        {p2, "13", "geometry", t2, "The hypotenuse is $\\boxed{13}$."},                          // duplicate
        {p2, "13", "geometry", "The hypotenuse is 5 + 12 = 17 since we add the legs.", "So it is $\\boxed{17}$."},
        {p3, "24", "algebra", "From 9/s + t/60 = 4 and 9/(s+2) + t/60 = 2.4 we get s = 2.5 and t = 24.", "So $t = \\boxed{24}$."},
        {p4, "55", "algebra", t4, "The sum is $\\boxed{55}$."},                                 // too easy
        {p4, "55", "algebra", std::string(t4).replace(t4.find("third"), 5, "final"), "The sum is $\\boxed{55}$."},  // near duplicate
    };
}

struct Result {
    int exitCode = -1;
    QByteArray out, err;
};

Result runCli(const QStringList& args)
{
    QProcess p;
    p.start(QString::fromLocal8Bit(qgetenv("DISTILLERY_CLI")), args);
    p.waitForFinished(120000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}

// A workspace at `ws` holding rows() as source "synth".
void importRows(const QTemporaryDir& dir, const QString& ws)
{
    const QString data = dir.filePath("samples.jsonl");
    {
        std::ofstream out(data.toStdString());
        for (const Row& r : rows())
            out << nlohmann::json{{"problem", r.problem}, {"answer", r.answer}, {"domain", r.domain},
                                  {"response", "<think>\n" + r.thinking + "\n</think>\n\n" + r.answerText}}.dump()
                << "\n";
    }
    const Result imported = runCli({"import", "--workspace", ws, "--source", "synth", data});
    QVERIFY2(imported.exitCode == 0, imported.err.constData());
}

const char* const kRecipe = "rejection:\n  keep_per_problem: 1\n  strategy: shortest_correct\n"
                            "selection:\n  diversity: round_robin\n  min_pass_rate: 0.2\n  max_pass_rate: 0.8\n"
                            "decontamination:\n  benchmarks_dir: " DISTILLERY_SOURCE_DIR "/resources/benchmarks\n";

// The statuses and reject reasons of the "synth" samples, in import order.
std::vector<std::string> outcomes(const QString& ws)
{
    auto store = distill::store::Workspace::open(ws.toStdString(), distill::store::OpenMode::ReadOnly);
    distill::store::SampleQuery query;
    query.source = "synth";
    std::vector<std::string> out;
    for (const auto id : store.sampleIds(query)) {
        const auto s = store.sample(id);
        out.push_back(std::string(distill::store::statusName(s->status)) + ":" + s->rejectReason);
    }
    return out;
}

// The summary of the `finished` event a job printed.
nlohmann::json finishedSummary(const QByteArray& events)
{
    for (const auto& line : events.split('\n')) {
        const auto event = nlohmann::json::parse(line.toStdString(), nullptr, false);
        if (event.is_object() && event.value("event", "") == "finished")
            return event;
    }
    return nullptr;
}

}  // namespace

class TestCurateCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DISTILLERY_CLI"))
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
    }

    void curatesAWorkspace()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite"), recipe = dir.filePath("r.yaml");
        std::ofstream(recipe.toStdString()) << kRecipe;
        importRows(dir, ws);

        const Result r = runCli({"curate", "--workspace", ws, "--recipe", recipe, "--threads", "2"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto summary = nlohmann::json::parse(r.out.toStdString());
        const auto& samples = summary.at("samples");
        QCOMPARE(samples.at("total").get<int>(), 10);
        QCOMPARE(samples.at("kept").get<int>(), 2);
        const std::map<std::string, int> rejected = samples.at("rejected");
        const std::map<std::string, int> expected = {{"contaminated", 1}, {"difficulty", 1}, {"duplicate", 2},
                                                     {"excess", 1}, {"repetition,loop", 1}, {"incorrect", 2}};
        QVERIFY2(rejected == expected, samples.dump().c_str());
        const auto& problems = summary.at("problems");
        QCOMPARE(problems.at("selected").get<int>(), 2);
        QCOMPARE(problems.at("contaminated").get<int>(), 1);
        QCOMPARE(problems.at("contamination").at(0).at("benchmark").get<std::string>(), std::string("aime24"));
        QCOMPARE(problems.at("contamination").at(0).at("id").get<std::string>(), std::string("2024-I-1"));

        // what the store now holds, in import order
        auto store = distill::store::Workspace::open(ws.toStdString(), distill::store::OpenMode::ReadOnly);
        distill::store::SampleQuery query;
        query.source = "synth";
        std::vector<std::string> reasons;
        std::vector<std::string> statuses;
        for (const auto id : store.sampleIds(query)) {
            const auto s = store.sample(id);
            QVERIFY(s);
            reasons.push_back(s->rejectReason);
            statuses.push_back(std::string(distill::store::statusName(s->status)));
            const auto flags = nlohmann::json::parse(s->flagsJson);
            QVERIFY(flags.contains("filters") && flags["filters"].contains("language_mix"));
        }
        const std::vector<std::string> wantReasons = {"excess", "", "incorrect", "repetition,loop", "",
                                                      "duplicate", "incorrect", "contaminated", "difficulty", "duplicate"};
        QCOMPARE(reasons, wantReasons);
        QCOMPARE(statuses[1], std::string("accepted"));
        QCOMPARE(statuses[4], std::string("accepted"));
        QCOMPARE(statuses[0], std::string("rejected"));
    }

    // `kind: curate` through `distillery-cli run`: the same decisions and summary as the command, a
    // dry run writes nothing, and the spec is as strict as the recipe file.
    void curateJobDoesWhatTheCommandDoes()
    {
        QTemporaryDir dir;
        const QString byCommand = dir.filePath("a.sqlite"), byJob = dir.filePath("b.sqlite"), dry = dir.filePath("c.sqlite");
        const QString recipe = dir.filePath("r.yaml"), spec = dir.filePath("job.yaml"), drySpec = dir.filePath("dry.yaml");
        std::ofstream(recipe.toStdString()) << kRecipe;
        std::ofstream(spec.toStdString()) << "kind: curate\nname: tidy\nthreads: 2\n" << kRecipe;
        std::ofstream(drySpec.toStdString()) << "kind: curate\ndry_run: true\n" << kRecipe;
        for (const QString& ws : {byCommand, byJob, dry})
            importRows(dir, ws);
        const auto untouched = outcomes(dry);

        const Result command = runCli({"curate", "--workspace", byCommand, "--recipe", recipe});
        QVERIFY2(command.exitCode == 0, command.err.constData());
        const Result job = runCli({"run", spec, "--workspace", byJob});
        QVERIFY2(job.exitCode == 0, job.err.constData());
        const auto finished = finishedSummary(job.out);
        QVERIFY2(finished.is_object(), job.out.constData());
        QCOMPARE(finished.at("status").get<std::string>(), std::string("finished"));
        QCOMPARE(finished.at("summary").dump(), nlohmann::json::parse(command.out.toStdString()).dump());
        QCOMPARE(outcomes(byJob), outcomes(byCommand));
        QVERIFY(job.out.contains("\"event\":\"progress\""));

        const Result dryJob = runCli({"run", drySpec, "--workspace", dry});
        QVERIFY2(dryJob.exitCode == 0, dryJob.err.constData());
        const auto drySummary = finishedSummary(dryJob.out).at("summary");
        QCOMPARE(drySummary.at("dry_run").get<bool>(), true);
        QCOMPARE(drySummary.at("samples").at("kept").get<int>(), 2);
        QCOMPARE(outcomes(dry), untouched);

        std::ofstream(spec.toStdString()) << "kind: curate\nfilters:\n  max_paragraph_len: 3\n";
        const Result bad = runCli({"run", spec, "--workspace", byJob});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.out.contains("line 3: unknown key 'max_paragraph_len' in filters"), bad.out.constData());
    }

    // R1's cold-start format from teacher traces: bare answers get the reasoning's last paragraph as
    // a summary (an edit: the teacher's answer stays in the history), then the summary filter passes.
    void coldStartSummaryFromTeacherTraces()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath("cold.sqlite"), spec = dir.filePath("cold.yaml");
        const QString data = dir.filePath("bare.jsonl");
        {
            std::ofstream out(data.toStdString());
            out << nlohmann::json{{"problem", "How many positive divisors does 196 have?"}, {"answer", "9"},
                                  {"response", "<think>\n" + divisorThinking() + "\n</think>\n\n\\boxed{9}"}}.dump() << "\n";
            out << nlohmann::json{{"problem", "What is 6 times 7?"}, {"answer", "42"},
                                  {"response", "<think>\nSix sevens are 42.\n</think>\n\nSix times seven is $\\boxed{42}$, as 6 * 7 = 42."}}.dump()
                << "\n";
        }
        QVERIFY2(runCli({"import", "--workspace", ws, "--source", "synth", data}).exitCode == 0, "import");
        std::ofstream(spec.toStdString()) << "kind: curate\ncold_start_summary: true\nfilters:\n  require_summary: true\n"
                                          << "decontamination:\n  enabled: false\nselection:\n  difficulty: none\n";
        const Result job = runCli({"run", spec, "--workspace", ws});
        QVERIFY2(job.exitCode == 0, job.out.constData());
        const auto summary = finishedSummary(job.out).at("summary");
        QCOMPARE(summary.at("samples").at("summarized").get<int>(), 1);
        auto store = distill::store::Workspace::open(ws.toStdString(), distill::store::OpenMode::ReadOnly);
        distill::store::SampleQuery query;
        query.source = "synth";
        const auto ids = store.sampleIds(query);
        QCOMPARE(ids.size(), std::size_t(2));
        const auto first = store.sample(ids[0]);
        // the last paragraph, cut to its last sentences: at most a third of the reasoning
        QVERIFY2(first->answer.starts_with("**Summary.** Listing them: 1, 2, 4, 7, 14, 28, 49, 98, 196. That is nine."), first->answer.c_str());
        QVERIFY(first->answer.ends_with("\\boxed{9}"));
        QCOMPARE(std::string(distill::store::statusName(first->status)), std::string("accepted"));
        const auto history = store.editHistory(ids[0]);
        QCOMPARE(history.size(), std::size_t(1));
        QCOMPARE(history[0].before, std::string("\\boxed{9}"));
        // The second answer summarises already but is longer than half its one-line reasoning.
        const auto second = store.sample(ids[1]);
        QCOMPARE(second->rejectReason, std::string("summary"));
        QVERIFY(store.editHistory(ids[1]).empty());
    }

    void unknownRecipeKeyNamesKeyAndLine()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite"), recipe = dir.filePath("r.yaml");
        std::ofstream(recipe.toStdString()) << "rejection:\n  keep_per_problem: 2\nfilters:\n  max_paragraph_len: 3\n";
        const Result r = runCli({"curate", "--workspace", ws, "--recipe", recipe});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("r.yaml:4: unknown key 'max_paragraph_len' in filters"), r.err.constData());
    }
};

int runCurateCliTests(int argc, char** argv)
{
    TestCurateCli t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_curate_cli.moc"
