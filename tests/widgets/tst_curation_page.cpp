// Curation page: kept/rejected counts follow the threshold sliders (checked against scores computed
// here from the inserted texts), the disagreement list against a direct re-grade, ruling keys,
// Apply through the store, the disagreement model under QAbstractItemModelTester, screenshots, and
// a real `curate` job started from the page (its spec, progress, summary against the store, the
// page read again when it finishes).
#include "core/store/rulings.h"
#include "core/store/workspace.h"
#include "core/text/readability_filter.h"
#include "core/verify/grader.h"
#include "widgets/models/curation_disagreement_model.h"
#include "widgets/models/curation_scores.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/views/curate_job_panel.h"
#include "widgets/views/job_form.h"
#include "widgets/views/key_field.h"
#include "widgets/views/curation_page.h"
#include "widgets/views/disagreement_view.h"
#include "tests/support/screenshot.h"

#include <nlohmann/json.hpp>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QJsonArray>
#include <QListWidget>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSlider>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <optional>

using namespace distill;
using distill::widgets::CurationPage;

namespace {

constexpr int kSamples = 60;

struct Inserted {
    store::Sample sample;
    std::string gold;
};

std::string words(int n, int seed)
{
    static const char* vocab[] = {"we", "add", "the", "terms", "so", "then", "check", "both", "sides", "again",
                                  "consider", "value", "of", "x", "sum", "product"};
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += vocab[(i * 7 + seed * 3 + i / 5) % 16];
        out += (i % 12 == 11) ? ". " : " ";
    }
    return out;
}

}  // namespace

class TestCurationPage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_path;
    std::vector<Inserted> m_inserted;
    std::optional<store::Workspace> m_workspace;

    // Scores of every inserted sample as the page should see them: stored ones as stored, the
    // others computed from the texts with the default configuration.
    std::map<std::int64_t, text::FilterScores> expectedScores() const
    {
        std::map<std::int64_t, text::FilterScores> out;
        for (const Inserted& in : m_inserted) {
            const auto flags = nlohmann::json::parse(in.sample.flagsJson);
            if (flags.contains("filters"))
                out[in.sample.id] = text::filterScoresFromJson(flags["filters"]);
            else
                out[in.sample.id] = text::scoreSample({in.sample.thinking, in.sample.answer, true,
                                                       in.sample.thinkingTokens > 0
                                                           ? std::optional<std::int64_t>(in.sample.thinkingTokens)
                                                           : std::nullopt},
                                                      text::FilterConfig{});
        }
        return out;
    }

    void waitLoaded(CurationPage& page)
    {
        QSignalSpy loaded(&page, &CurationPage::scoresLoaded);
        page.setWorkspacePath(m_path);
        QVERIFY(loaded.wait(30000));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DISTILLERY_RESOURCES", QByteArray(DISTILLERY_SOURCE_DIR) + "/resources");  // the job's benchmarks
        m_path = m_dir.filePath(QStringLiteral("curation.sqlite"));
        m_workspace.emplace(store::Workspace::create(m_path.toStdString(), store::CreateOptions{false, {}}));
        std::vector<std::int64_t> problemIds;
        for (int p = 0; p < 10; ++p) {
            store::Problem problem;
            problem.source = "toy";
            problem.question = "What is " + std::to_string(p) + " + " + std::to_string(p) + "?";
            problem.referenceAnswer = std::to_string(2 * p);
            problemIds.push_back(m_workspace->insertProblem(problem));
        }
        const text::FilterConfig config;
        for (int i = 0; i < kSamples; ++i) {
            const int p = i % 10;
            Inserted in;
            in.gold = std::to_string(2 * p);
            store::Sample& s = in.sample;
            s.problemId = problemIds[std::size_t(p)];
            s.origin = store::Origin::Teacher;
            s.thinking = words(20 + 37 * i, i);
            if (i % 4 == 0)  // a loop at the end of the thinking
                for (int r = 0; r < i % 9; ++r)
                    s.thinking += " So the answer is clear.";
            if (i % 7 == 3)
                s.thinking += " 这是一个测试 混合 语言";
            const bool right = i % 3 != 0;
            s.answer = "The answer is $\\boxed{" + (right ? in.gold : std::to_string(2 * p + 1)) + "}$.";
            // Stored verdicts: mostly what a grader says, but every fifth one is the opposite.
            const bool flip = i % 5 == 0;
            s.verdict = (right != flip) ? store::Verdict::Correct : store::Verdict::Incorrect;
            nlohmann::json flags = nlohmann::json::object();
            if (i % 2 == 0)  // half carry stored scores (computed here), the rest are scored by the page
                flags["filters"] = text::toJson(text::scoreSample({s.thinking, s.answer, true, {}}, config));
            if (i < 2)  // a generative judge's verdicts: against the grader on sample 0, with it on sample 1
                flags["judge"] = {{"verdict", "correct"}};
            if (!flags.empty())
                s.flagsJson = flags.dump();
            m_workspace->insertSample(s);
            m_inserted.push_back(in);
        }
    }

    void sliderCounts_data()
    {
        QTest::addColumn<int>("filter");
        QTest::addColumn<int>("position");
        QTest::newRow("thinking length low") << int(CurationPage::ThinkingChars) << 300;
        QTest::newRow("thinking length high") << int(CurationPage::ThinkingChars) << 900;
        QTest::newRow("thinking length zero (no limit)") << int(CurationPage::ThinkingChars) << 0;
        QTest::newRow("repetition strict") << int(CurationPage::Repetition) << 50;
        QTest::newRow("repetition loose") << int(CurationPage::Repetition) << 1000;
        QTest::newRow("language mix") << int(CurationPage::LanguageMix) << 100;
        QTest::newRow("paragraph chars") << int(CurationPage::ParagraphChars) << 200;
        QTest::newRow("tail repeats") << int(CurationPage::TailRepeats) << 250;
    }

    void sliderCounts()
    {
        QFETCH(int, filter);
        QFETCH(int, position);
        CurationPage page;
        waitLoaded(page);
        QCOMPARE(qsizetype(page.entries().size()), qsizetype(kSamples));
        const auto scores = expectedScores();
        auto direct = [&](const text::FilterConfig& config) {
            widgets::KeptCount c;
            for (const auto& [id, s] : scores)
                (text::rejectReasons(s, config).empty() ? c.kept : c.rejected) += 1;
            return c;
        };
        const widgets::KeptCount before = page.counts();
        QCOMPARE(before.kept, direct(page.config()).kept);
        QCOMPARE(before.kept + before.rejected, std::int64_t(kSamples));

        page.slider(CurationPage::Filter(filter))->setValue(position);
        const widgets::KeptCount after = page.counts();
        const widgets::KeptCount expected = direct(page.config());
        QCOMPARE(after.kept, expected.kept);
        QCOMPARE(after.rejected, expected.rejected);
    }

    void thresholdMovesCounts()
    {
        CurationPage page;
        waitLoaded(page);
        page.setThreshold(CurationPage::ThinkingChars, 200000);
        page.setThreshold(CurationPage::Repetition, 1.0);
        const std::int64_t loose = page.counts().rejected;
        // The shortest thinking is ~100 characters and the longest over 10,000: a bound in between
        // rejects some but not all.
        page.setThreshold(CurationPage::ThinkingChars, 2000);
        const std::int64_t strict = page.counts().rejected;
        QVERIFY2(strict > loose, qPrintable(QStringLiteral("%1 vs %2").arg(strict).arg(loose)));
        QVERIFY(strict < kSamples);
        QVERIFY(std::abs(page.threshold(CurationPage::ThinkingChars) - 2000.0) < 100.0);  // nearest slider step
    }

    void disagreements()
    {
        CurationPage page;
        waitLoaded(page);
        widgets::CurationDisagreementModel* model = page.disagreementView()->model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<std::int64_t> expected;
        for (const Inserted& in : m_inserted) {
            const verify::GradeResult g = verify::grade(in.sample.answer, in.gold);
            const store::Verdict graded = g.verdict == verify::Verdict::Equal      ? store::Verdict::Correct
                                          : g.verdict == verify::Verdict::NotEqual ? store::Verdict::Incorrect
                                                                                   : store::Verdict::Unknown;
            if (graded != m_workspace->sample(in.sample.id)->verdict)
                expected.push_back(in.sample.id);
        }
        QVERIFY(!expected.empty());
        QCOMPARE(model->rowCount(), int(expected.size()));
        for (int r = 0; r < model->rowCount(); ++r)
            QCOMPARE(model->index(r, widgets::CurationDisagreementModel::IdColumn).data().toLongLong(),
                     expected[std::size_t(r)]);

        // The judge's verdict beside the grader's (sample 0: the judge says correct, the grader not).
        QCOMPARE(expected.front(), m_inserted.front().sample.id);
        QCOMPARE(model->index(0, widgets::CurationDisagreementModel::JudgeColumn).data().toString(),
                 widgets::SampleTableModel::verdictText(store::Verdict::Correct));
        QCOMPARE(model->index(0, widgets::CurationDisagreementModel::GradedColumn).data().toString(),
                 widgets::SampleTableModel::verdictText(store::Verdict::Incorrect));

        // The expert rules on the first row with the C key: the store has the verdict and the ruling
        // (beside the grader's and the judge's verdicts), the row leaves.
        QTableView* table = page.disagreementView()->table();
        table->setCurrentIndex(model->index(0, 0));
        const std::int64_t id = expected.front();
        const int rows = model->rowCount();
        QTest::keyClick(table, Qt::Key_C);
        QVERIFY(page.disagreementView()->writes()->waitForIdle());  // written off the GUI thread
        QCOMPARE(m_workspace->sample(id)->verdict, store::Verdict::Correct);
        const auto ruling = store::rulingOf(*m_workspace->sample(id));
        QVERIFY(ruling.has_value());
        QCOMPARE(ruling->expert, store::Verdict::Correct);
        QCOMPARE(ruling->grader, store::Verdict::Incorrect);
        QCOMPARE(ruling->judge, std::optional<store::Verdict>(store::Verdict::Correct));
        QCOMPARE(model->rowCount(), rows - 1);
        QTest::keyClick(table, Qt::Key_I);
        QVERIFY(page.disagreementView()->writes()->waitForIdle());
        QCOMPARE(m_workspace->sample(expected[1])->verdict, store::Verdict::Incorrect);
        QCOMPARE(model->rowCount(), rows - 2);
    }

    void applyWritesStatuses()
    {
        CurationPage page;
        waitLoaded(page);
        page.setThreshold(CurationPage::ThinkingChars, 2000);
        QSignalSpy applied(&page, &CurationPage::applied);
        page.apply();
        QVERIFY(applied.wait(30000));
        const auto scores = expectedScores();
        std::int64_t rejected = 0;
        for (const auto& [id, s] : scores) {
            const std::vector<std::string> reasons = text::rejectReasons(s, page.config());
            const store::Sample stored = *m_workspace->sample(id);
            if (reasons.empty()) {
                QCOMPARE(stored.status, store::SampleStatus::Candidate);
            } else {
                ++rejected;
                QCOMPARE(stored.status, store::SampleStatus::Rejected);
                QVERIFY(QString::fromStdString(stored.rejectReason).contains(QString::fromStdString(reasons.front())));
            }
        }
        QCOMPARE(applied.front().front().toLongLong(), rejected);
        QCOMPARE(page.counts().rejected, rejected);

        // Loosening and applying again puts the filter-rejected samples back to candidate.
        page.setThreshold(CurationPage::ThinkingChars, 0);  // no limit
        page.setThreshold(CurationPage::TailRepeats, 0);
        page.setThreshold(CurationPage::Repetition, 1.0);
        page.setThreshold(CurationPage::LanguageMix, 1.0);
        page.reload();
        QSignalSpy loaded(&page, &CurationPage::scoresLoaded);
        QVERIFY(loaded.wait(30000));
        page.apply();
        QVERIFY(applied.wait(30000));
        for (const auto& [id, s] : scores)
            if (text::rejectReasons(s, page.config()).empty())
                QCOMPARE(m_workspace->sample(id)->status, store::SampleStatus::Candidate);
    }

    void screenshot()
    {
        CurationPage page;
        page.resize(1000, 1150);
        waitLoaded(page);
        page.setThreshold(CurationPage::ThinkingChars, 4000);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("curation_page.png")));
        // The disagreement tab with its first row selected.
        auto* tabs = page.findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QTableView* table = page.disagreementView()->table();
        QVERIFY(table->model()->rowCount() > 0);
        // The two rulings made above, against the judge's verdict on the one it judged.
        const QString accuracy = page.disagreementView()->model()->accuracyText();
        QVERIFY2(accuracy.startsWith(QStringLiteral("Rulings: 2; the judge agreed on 1 of 1, the grader on ")), qPrintable(accuracy));
        // A ruled sample stays out of the list (its verdict is the expert's).
        for (int r = 0; r < table->model()->rowCount(); ++r)
            QVERIFY(table->model()->index(r, 0).data().toLongLong() != m_inserted.front().sample.id);
        table->setCurrentIndex(table->model()->index(0, 0));
        table->resizeColumnsToContents();
        QTest::qWait(50);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("curation_disagreements.png")));
    }

    // Last: the job rewrites verdicts and statuses of the whole workspace.
    void curationJobFromThePage()
    {
        CurationPage page;
        page.resize(1100, 760);
        waitLoaded(page);
        page.setSourceCounts({QVariant(QVariantList{QStringLiteral("toy"), 10, kSamples})});
        widgets::CurateJobPanel* job = page.jobPanel();
        widgets::JobForm* form = job->form();
        QCOMPARE(form->kind(), QStringLiteral("curate"));
        QCOMPARE(form->field(QStringLiteral("sources"))->suggestions(), QStringList{QStringLiteral("toy")});

        // The form is the core's spec with the page's thresholds (the synthetic thinking repeats
        // itself: no repetition bound, or nothing would be kept).
        page.setThreshold(CurationPage::ThinkingChars, 2000);
        page.setThreshold(CurationPage::Repetition, 1.0);
        auto spec = form->fullValues();
        QCOMPARE(spec.at("dry_run").get<bool>(), false);
        QCOMPARE(spec.at("filters").at("max_thinking_chars").get<qint64>(), qint64(page.config().maxThinkingChars));
        QVERIFY(spec.at("sources").empty());  // none given: all but the benchmarks
        QVERIFY(form->setValue(QStringLiteral("sources"), nlohmann::ordered_json::array({"toy"})));
        spec = form->fullValues();
        QCOMPARE(spec.at("sources"), nlohmann::ordered_json::array({"toy"}));
        QCOMPARE(spec.at("rejection").at("keep_per_problem").get<int>(), 1);
        QVERIFY2(form->yaml().contains(QStringLiteral("kind: curate")), qPrintable(form->yaml()));
        // A filter key typed into the form outlives a slider moved afterwards.
        QVERIFY(form->setValue(QStringLiteral("filters.min_language_share"), 0.9));
        page.setThreshold(CurationPage::ThinkingChars, 3000);
        QCOMPARE(form->value(QStringLiteral("filters.min_language_share")).get<double>(), 0.9);
        QCOMPARE(form->value(QStringLiteral("filters.max_thinking_chars")).get<qint64>(), qint64(page.config().maxThinkingChars));
        QVERIFY(std::abs(qint64(page.config().maxThinkingChars) - 3000) < 10);  // the slider's step

        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.findChild<QTabWidget*>()->setCurrentWidget(job);
        QSignalSpy progress(job->controller(), &widgets::RunController::progress);
        QSignalSpy finished(job->controller(), &widgets::RunController::finished);
        QSignalSpy errors(job->controller(), &widgets::RunController::error);
        QSignalSpy curated(&page, &CurationPage::curated);
        QSignalSpy loaded(&page, &CurationPage::scoresLoaded);
        QVERIFY(job->startJob());
        QVERIFY(finished.wait(120'000));
        QVERIFY2(errors.isEmpty(), qPrintable(errors.isEmpty() ? QString() : errors[0][2].toString() + QLatin1Char(' ') + errors[0][3].toString()));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("finished"));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last()[1].toLongLong(), progress.last()[2].toLongLong());  // every sample graded
        QCOMPARE(curated.size(), 1);
        QVERIFY(loaded.wait(30000));  // the page read the curated workspace again

        // The store agrees with the job's summary: kept samples accepted, every other one rejected.
        const QJsonObject samples = finished[0][2].toJsonObject()[QLatin1String("samples")].toObject();
        const qint64 kept = samples[QLatin1String("kept")].toInteger();
        QCOMPARE(samples[QLatin1String("total")].toInteger(), qint64(kSamples));
        QVERIFY(kept > 0 && kept < kSamples);
        store::SampleQuery accepted, rejected;
        accepted.status = store::SampleStatus::Accepted;
        rejected.status = store::SampleStatus::Rejected;
        QCOMPARE(m_workspace->countSamples(accepted), kept);
        QCOMPARE(m_workspace->countSamples(rejected), kSamples - kept);
        // The page shows the new statuses and verdicts (graded by the job: no disagreement left).
        qint64 shownAccepted = 0;
        for (const widgets::CurationEntry& e : page.entries())
            shownAccepted += e.status == store::SampleStatus::Accepted;
        QCOMPARE(shownAccepted, kept);
        QCOMPARE(page.disagreementView()->model()->rowCount(), 0);
        QVERIFY(job->summaryText().contains(QStringLiteral("Samples: %1 kept of %2.").arg(kept).arg(kSamples)));
        QTRY_COMPARE(job->runs()->rowCount(), 1);
        // (the list may still show the row it read while the job ran: its re-read after the end comes)
        QTRY_COMPARE(job->runs()->index(0, widgets::RunListModel::Status).data().toString(), QStringLiteral("finished"));
        QVERIFY(!(job->runs()->flags(job->runs()->index(0, widgets::RunListModel::Id)) & Qt::ItemIsUserCheckable));  // overlays nothing
        QTest::qWait(50);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("curation_job.png")));
    }
};

QTEST_MAIN(TestCurationPage)
#include "tst_curation_page.moc"
