// Tests of the item models: SampleTableModel (paging, filters and sort against independently
// computed expectations) and ProblemTableModel, both under QAbstractItemModelTester. The models
// read off the GUI thread, so the tests wait for each read's rows.
#include "demo_workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/problem_table_model.h"
#include "widgets/models/sample_table_model.h"

#include <nlohmann/json.hpp>

#include <QAbstractItemModelTester>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <functional>
#include <map>

using namespace distill;
using distill::widgets::ProblemTableModel;
using distill::widgets::SampleTableModel;

Q_DECLARE_METATYPE(distill::store::SampleQuery)

namespace {
constexpr int kSamples = 450;

// Waits until the model's reads have delivered their rows.
bool loaded(widgets::PagedTableModel& model)
{
    return model.jobs()->waitForIdle();
}

std::vector<qint64> allIds(SampleTableModel& model)
{
    while (model.canFetchMore({})) {
        model.fetchMore({});
        loaded(model);
    }
    std::vector<qint64> ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids.push_back(model.data(model.index(r, 0), SampleTableModel::SampleIdRole).toLongLong());
    return ids;
}
}  // namespace

class TestSampleTableModel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::optional<store::Workspace> m_workspace;
    std::vector<store::Sample> m_samples;
    std::vector<store::Problem> m_problems;
    std::map<std::int64_t, const store::Problem*> m_problemById;

    // Expected ids for a filter, computed from the inserted records (not by the store).
    std::vector<qint64> expectedIds(const std::function<bool(const store::Sample&, const store::Problem&)>& keep) const
    {
        std::vector<qint64> ids;
        for (const auto& s : m_samples)
            if (keep(s, *m_problemById.at(s.problemId)))
                ids.push_back(s.id);
        return ids;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("w.distillery"));
        m_workspace.emplace(testing::makeSyntheticWorkspace(m_path, kSamples, &m_samples, &m_problems));
        for (const auto& p : m_problems)
            m_problemById[p.id] = &p;
    }

    void pagesOf200()
    {
        SampleTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        model.setWorkspacePath(m_path);
        QVERIFY(loaded(model));
        QCOMPARE(model.totalCount(), qint64(kSamples));
        QCOMPARE(model.rowCount(), SampleTableModel::kPageSize);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QVERIFY(!model.canFetchMore({}));  // one page at a time
        QVERIFY(loaded(model));
        QCOMPARE(model.rowCount(), 2 * SampleTableModel::kPageSize);
        model.fetchMore({});
        QVERIFY(loaded(model));
        QCOMPARE(model.rowCount(), kSamples);
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({});  // harmless at the end
        QVERIFY(loaded(model));
        QCOMPARE(model.rowCount(), kSamples);
        QCOMPARE(model.columnCount(), 12);
        QCOMPARE(model.rowOfSample(m_samples[300].id), 300);
    }

    void displayedColumns()
    {
        SampleTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspacePath(m_path);
        QVERIFY(loaded(model));
        const store::Sample& s = m_samples[0];  // teacher, dup flag, verdict unknown, candidate
        QCOMPARE(model.data(model.index(0, SampleTableModel::Id)).toLongLong(), s.id);
        QVERIFY(model.data(model.index(0, SampleTableModel::Problem)).toString().startsWith(QStringLiteral("Problem 0:")));
        QCOMPARE(model.data(model.index(0, SampleTableModel::Verdict)).toString(), QStringLiteral("unknown"));
        QCOMPARE(model.data(model.index(0, SampleTableModel::Status)).toString(), QStringLiteral("candidate"));
        QCOMPARE(model.data(model.index(0, SampleTableModel::ThinkingTokens)).toLongLong(), s.thinkingTokens);
        QCOMPARE(model.data(model.index(0, SampleTableModel::AnswerTokens)).toLongLong(), s.answerTokens);
        QCOMPARE(model.data(model.index(0, SampleTableModel::Origin)).toString(), QStringLiteral("teacher · r1-distill"));
        QCOMPARE(model.data(model.index(0, SampleTableModel::Flags)).toString(), QStringLiteral("dup"));
        QCOMPARE(model.data(model.index(1, SampleTableModel::Flags)).toString(), QString());
        QCOMPARE(model.headerData(SampleTableModel::ThinkingTokens, Qt::Horizontal).toString(),
                 QStringLiteral("Thinking\ntokens"));

        // Reject reason and the readability scores of the flags JSON: shares in percent, words
        // as a count, empty without a score.
        QCOMPARE(model.data(model.index(0, SampleTableModel::RejectReason)).toString(), QString());
        QCOMPARE(m_samples[6].status, store::SampleStatus::Rejected);
        QCOMPARE(model.data(model.index(6, SampleTableModel::RejectReason)).toString(), QStringLiteral("language_mix,loop"));
        for (int c : {SampleTableModel::LanguageMix, SampleTableModel::ParagraphWords, SampleTableModel::Repetition})
            QCOMPARE(model.data(model.index(0, c)).toString(), QString());
        QCOMPARE(model.data(model.index(1, SampleTableModel::LanguageMix)).toString(), QStringLiteral("1.00 %"));
        QCOMPARE(model.data(model.index(1, SampleTableModel::ParagraphWords)).toString(), QStringLiteral("11"));
        QCOMPARE(model.data(model.index(1, SampleTableModel::Repetition)).toString(), QStringLiteral("2.00 %"));
        QCOMPARE(model.data(model.index(4, SampleTableModel::Repetition)).toString(), QString());  // i % 5 == 4: no scores
        QCOMPARE(model.data(model.index(12, SampleTableModel::Repetition)).toString(), QStringLiteral("24.0 %"));
        QCOMPARE(model.data(model.index(1, SampleTableModel::LanguageMix), Qt::TextAlignmentRole).value<Qt::Alignment>(),
                 Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        QCOMPARE(model.headerData(SampleTableModel::RejectReason, Qt::Horizontal).toString(),
                 QStringLiteral("Reject\nreason"));
    }

    void filters_data()
    {
        QTest::addColumn<store::SampleQuery>("query");
        QTest::addColumn<QString>("rule");
        store::SampleQuery q;
        QTest::newRow("all") << q << "all";
        q = {};
        q.verdict = store::Verdict::Correct;
        QTest::newRow("verdict correct") << q << "correct";
        q = {};
        q.status = store::SampleStatus::Rejected;
        QTest::newRow("status rejected") << q << "rejected";
        q = {};
        q.source = "beta";
        QTest::newRow("source beta") << q << "beta";
        q = {};
        q.minThinkingTokens = 200;
        q.maxThinkingTokens = 400;
        QTest::newRow("thinking 200..400") << q << "range";
        q = {};
        q.search = "integral";
        QTest::newRow("search integral") << q << "integral";
        q = {};
        q.search = "parity";
        q.status = store::SampleStatus::Accepted;
        q.source = "gamma";
        QTest::newRow("search + status + source") << q << "parity-accepted-gamma";
        q = {};
        q.rejectReason = "language_mix";
        QTest::newRow("reason language_mix") << q << "reason-language_mix";
        q = {};
        q.rejectReason = "";
        QTest::newRow("no reason") << q << "no-reason";
        q = {};
        q.score = store::ScoreRange{"language_mix", 0.02, 0.05};
        QTest::newRow("language mix 2-5%") << q << "mix-2-5";
        q = {};
        q.score = store::ScoreRange{"longest_paragraph_words", 200, std::nullopt};
        q.verdict = store::Verdict::Incorrect;
        QTest::newRow("paragraph >= 200 + incorrect") << q << "paragraph-200-incorrect";
    }

    void filters()
    {
        QFETCH(store::SampleQuery, query);
        QFETCH(QString, rule);
        const auto score = [](const store::Sample& s, const char* name) -> std::optional<double> {
            const auto flags = nlohmann::json::parse(s.flagsJson);
            if (!flags.contains("filters"))
                return std::nullopt;
            return flags["filters"].at(name).get<double>();
        };
        const std::map<QString, std::function<bool(const store::Sample&, const store::Problem&)>> rules = {
            {"reason-language_mix", [](auto& s, auto&) { return s.rejectReason == "language_mix"; }},
            {"no-reason", [](auto& s, auto&) { return s.rejectReason.empty(); }},
            {"mix-2-5",
             [&](auto& s, auto&) {
                 const auto v = score(s, "language_mix");
                 return v && *v >= 0.02 && *v <= 0.05;
             }},
            {"paragraph-200-incorrect",
             [&](auto& s, auto&) {
                 const auto v = score(s, "longest_paragraph_words");
                 return v && *v >= 200 && s.verdict == store::Verdict::Incorrect;
             }},
            {"all", [](auto&, auto&) { return true; }},
            {"correct", [](auto& s, auto&) { return s.verdict == store::Verdict::Correct; }},
            {"rejected", [](auto& s, auto&) { return s.status == store::SampleStatus::Rejected; }},
            {"beta", [](auto&, auto& p) { return p.source == "beta"; }},
            {"range", [](auto& s, auto&) { return s.thinkingTokens >= 200 && s.thinkingTokens <= 400; }},
            {"integral",
             [](auto& s, auto& p) {
                 return s.thinking.find("integral") != std::string::npos || p.question.find("integral") != std::string::npos;
             }},
            {"parity-accepted-gamma",
             [](auto& s, auto& p) {
                 return (s.thinking.find("parity") != std::string::npos || p.question.find("parity") != std::string::npos) &&
                        s.status == store::SampleStatus::Accepted && p.source == "gamma";
             }},
        };
        const auto expected = expectedIds(rules.at(rule));
        QVERIFY(!expected.empty());

        SampleTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspacePath(m_path);
        model.setQuery(query);
        QVERIFY(loaded(model));
        QCOMPARE(model.totalCount(), qint64(expected.size()));
        QCOMPARE(model.rowCount(), std::min<int>(int(expected.size()), SampleTableModel::kPageSize));
        QCOMPARE(allIds(model), expected);
    }

    void sorting_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("descending");
        for (int c = 0; c < SampleTableModel::ColumnCount; ++c)
            for (bool desc : {false, true})
                QTest::addRow("column %d %s", c, desc ? "desc" : "asc") << c << desc;
    }

    void sorting()
    {
        QFETCH(int, column);
        QFETCH(bool, descending);
        // The store's order: the column's stored value, then the id, in the same direction.
        auto key = [&](const store::Sample& s) -> std::pair<std::string, std::int64_t> {
            switch (SampleTableModel::Column(column)) {
            case SampleTableModel::Id: return {{}, s.id};
            case SampleTableModel::Problem: return {{}, s.problemId};
            case SampleTableModel::Verdict: return {std::string(store::verdictName(s.verdict)), 0};
            case SampleTableModel::Status: return {std::string(store::statusName(s.status)), 0};
            case SampleTableModel::ThinkingTokens: return {{}, s.thinkingTokens};
            case SampleTableModel::AnswerTokens: return {{}, s.answerTokens};
            case SampleTableModel::Origin: return {std::string(store::originName(s.origin)), 0};
            case SampleTableModel::Flags: return {s.flagsJson, 0};
            case SampleTableModel::RejectReason: return {s.rejectReason, 0};
            case SampleTableModel::LanguageMix:
            case SampleTableModel::ParagraphWords:
            case SampleTableModel::Repetition: {
                // Samples without the score first, then by value.
                const char* name = column == SampleTableModel::LanguageMix      ? "language_mix"
                                   : column == SampleTableModel::ParagraphWords ? "longest_paragraph_words"
                                                                                : "repeated_ngram_share";
                const auto flags = nlohmann::json::parse(s.flagsJson);
                if (!flags.contains("filters"))
                    return {};
                char b[40];
                std::snprintf(b, sizeof b, "1%024.6f", flags["filters"].at(name).get<double>());
                return {b, 0};
            }
            case SampleTableModel::ColumnCount: break;
            }
            return {};
        };
        std::vector<store::Sample> sorted = m_samples;
        std::stable_sort(sorted.begin(), sorted.end(), [&](const store::Sample& a, const store::Sample& b) {
            const auto ka = std::make_tuple(key(a), a.id);
            const auto kb = std::make_tuple(key(b), b.id);
            return descending ? kb < ka : ka < kb;
        });
        std::vector<qint64> expected;
        for (const auto& s : sorted)
            expected.push_back(s.id);

        SampleTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspacePath(m_path);
        model.sort(column, descending ? Qt::DescendingOrder : Qt::AscendingOrder);
        QVERIFY(loaded(model));
        QCOMPARE(int(model.query().sortBy), column);
        QCOMPARE(model.query().descending, descending);
        QCOMPARE(model.rowCount(), SampleTableModel::kPageSize);  // sorting re-queries the first page only
        QCOMPARE(allIds(model), expected);
    }

    void refreshRowAfterStatusChange()
    {
        SampleTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspacePath(m_path);
        QVERIFY(loaded(model));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const qint64 id = model.sampleId(3);
        m_workspace->setStatus({id}, store::SampleStatus::Accepted);
        model.updateSample(*m_workspace->sample(id));  // what a review write hands back
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(3, SampleTableModel::Status)).toString(), QStringLiteral("accepted"));
        m_workspace->setStatus({id}, m_samples[3].status);
    }

    void problemModel_data()
    {
        QTest::addColumn<QString>("source");
        QTest::newRow("all") << QString();
        QTest::newRow("alpha") << QStringLiteral("alpha");
        QTest::newRow("gamma") << QStringLiteral("gamma");
        QTest::newRow("missing") << QStringLiteral("no-such-source");
    }

    void problemModel()
    {
        QFETCH(QString, source);
        std::vector<qint64> expected;
        for (const auto& p : m_problems)
            if (source.isEmpty() || p.source == source.toStdString())
                expected.push_back(p.id);

        ProblemTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspacePath(m_path);
        model.setSource(source);
        QVERIFY(loaded(model));
        QCOMPARE(model.totalCount(), qint64(expected.size()));
        while (model.canFetchMore({})) {
            model.fetchMore({});
            QVERIFY(loaded(model));
        }
        std::vector<qint64> ids;
        for (int r = 0; r < model.rowCount(); ++r)
            ids.push_back(model.data(model.index(r, 0), ProblemTableModel::ProblemIdRole).toLongLong());
        QCOMPARE(ids, expected);
        if (!expected.empty()) {
            QCOMPARE(model.problemAt(0)->id, expected.front());
            QCOMPARE(model.data(model.index(0, ProblemTableModel::ReferenceAnswer)).toString(),
                     QString::fromStdString(model.problemAt(0)->referenceAnswer));
        }
        QVERIFY(!model.problemAt(model.rowCount()));
    }
};

QTEST_GUILESS_MAIN(TestSampleTableModel)
#include "tst_sample_table_model.moc"
