// Test workspaces for the widget tests.
#include "demo_workspace.h"

#include "core/formats/importer.h"

#include <QDir>

namespace distill::testing {

QString sourcePath(const QString& relative)
{
    return QDir(QStringLiteral(DISTILLERY_SOURCE_DIR)).filePath(relative);
}

store::Workspace makeSyntheticWorkspace(const QString& path, int samples, std::vector<store::Sample>* inserted,
                                        std::vector<store::Problem>* problems)
{
    store::CreateOptions options;
    options.loadBenchmarks = false;
    auto workspace = store::Workspace::create(path.toStdString(), options);
    const char* const sources[] = {"alpha", "beta", "gamma"};
    const char* const words[] = {"triangle", "prime", "integral", "parity", "modulo", "vector"};
    store::Workspace::Transaction tx(workspace);
    std::int64_t problemId = 0;
    for (int i = 0; i < samples; ++i) {
        if (i % 5 == 0) {
            store::Problem p;
            p.source = sources[(i / 5) % 3];
            p.externalId = "p" + std::to_string(i / 5);
            p.domain = "math";
            p.question = "Problem " + std::to_string(i / 5) + ": show that the " + words[(i / 5) % 6] +
                         " claim holds for $n = " + std::to_string(i / 5) + "$.";
            p.referenceAnswer = std::to_string(i / 5 * 7 % 100);
            p.referenceSolution = "By induction on $n$.";
            problemId = workspace.insertProblem(p);
            if (problems)
                problems->push_back(p);
        }
        store::Sample s;
        s.problemId = problemId;
        s.origin = i % 4 == 0 ? store::Origin::Teacher : store::Origin::Import;
        s.originDetail = i % 4 == 0 ? "r1-distill" : "";
        s.thinking = "Let me think about the " + std::string(words[i % 6]) + " case " + std::to_string(i) +
                     ". We need \\(x^2 + 1\\) to be even, so $x$ is odd.";
        s.answer = "The answer is \\boxed{" + std::to_string(i % 17) + "}.";
        s.thinkingTokens = (i * 37) % 1000 + 10;
        s.answerTokens = (i * 13) % 90 + 5;
        s.verdict = store::Verdict(i % 3);
        s.status = store::SampleStatus((i / 3) % 3);
        // Readability scores as curation stores them (every fifth sample has none), reasons on the
        // rejected ones.
        if (i % 7 == 0)
            s.flagsJson = R"({"dup":true})";
        else if (i % 5 == 4)
            s.flagsJson = "{}";
        else
            s.flagsJson = "{\"filters\":{\"language_mix\":" + std::to_string((i % 9) / 100.0)
                          + ",\"longest_paragraph_words\":" + std::to_string(i * 11 % 300)
                          + ",\"repeated_ngram_share\":" + std::to_string((i % 13) / 50.0) + "}}";
        if (s.status == store::SampleStatus::Rejected) {
            const char* const reasons[] = {"incorrect", "language_mix", "language_mix,loop", "duplicate"};
            s.rejectReason = reasons[i % 4];
        }
        workspace.insertSample(s);
        if (inserted)
            inserted->push_back(s);
    }
    tx.commit();
    return workspace;
}

store::Workspace makeDemoWorkspace(const QString& path)
{
    store::CreateOptions options;
    options.benchmarksDir = sourcePath(QStringLiteral("resources/benchmarks")).toStdString();
    auto workspace = store::Workspace::create(path.toStdString(), options);
    for (const char* trace : {"tests/fixtures/traces/s1k-gemini-first5.jsonl", "tests/fixtures/traces/star1-r1-safety.json"})
        formats::importFile(workspace, sourcePath(QString::fromLatin1(trace)).toStdString());
    return workspace;
}

}  // namespace distill::testing
