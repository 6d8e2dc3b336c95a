// The Pipeline page: bundled recipes load and check, a bad spec names its line, a shortened
// distillation recipe runs from the page through the CLI with the stage graph filled in live (run ids,
// statuses, pass@1 before and after), is stopped and resumed, and a page opened later on the same
// workspace shows the stored pipeline ready to resume; a stage edited with its job form is written
// back into the text. Screenshots: pipeline_*.png.
#include "core/store/workspace.h"
#include "core/train/toy_demo.h"
#include "widgets/models/run_controller.h"
#include "widgets/views/job_form.h"
#include "widgets/plots/curve_plot.h"
#include "widgets/views/pipeline_curves.h"
#include "widgets/views/pipeline_page.h"
#include "tests/support/screenshot.h"

#include <yaml-cpp/yaml.h>

#include <QHeaderView>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace distill;
using widgets::PipelinePage;
using widgets::PipelineCurves;

namespace {

// The bundled distillation recipe at a size that runs in seconds; the teacher slowed down so that a
// stop lands in its stage.
QString shortDistillation(int delayMs)
{
    YAML::Node spec = YAML::LoadFile(DISTILLERY_SOURCE_DIR "/resources/recipes/distillation.yaml");
    spec["vars"]["problems"] = 40;
    spec["vars"]["sft_steps"] = 3;
    spec["vars"]["eval_problems"] = 3;
    spec["vars"]["eval_samples"] = 2;
    spec["stages"][0]["spec"]["teacher"]["delay_ms"] = delayMs;
    YAML::Emitter out;
    out << spec;
    return QString::fromUtf8(out.c_str());
}

QString cell(const QTableWidget* table, int row, int column)
{
    return table->item(row, column)->text();
}

}  // namespace

class TestPipelinePage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        qputenv("DISTILLERY_RESOURCES", DISTILLERY_SOURCE_DIR "/resources");
        QVERIFY(m_dir.isValid());
    }

    void recipesLoadAndCheck()
    {
        PipelinePage page;
        QCOMPARE(page.recipes(), (QStringList{"distillation", "r1", "s1"}));
        for (const QString& name : page.recipes()) {
            QVERIFY(page.loadRecipe(name));
            QVERIFY2(page.check().isEmpty(), qPrintable(name + ": " + page.check()));
        }
        // r1's nine stages in order.
        QVERIFY(page.loadRecipe(QStringLiteral("r1")));
        const QTableWidget* table = page.stageTable();
        QCOMPARE(table->rowCount(), 9);
        QCOMPARE(cell(table, 0, PipelinePage::StageColumn), QStringLiteral("cold"));
        QCOMPARE(cell(table, 1, PipelinePage::KindColumn), QStringLiteral("curate"));
        QCOMPARE(cell(table, 4, PipelinePage::KindColumn), QStringLiteral("grpo"));
        QCOMPARE(cell(table, 5, PipelinePage::StageColumn), QStringLiteral("rs"));
        // An unknown key in a stage: the parser's message with its line.
        QString text = page.yaml();
        text.replace(QStringLiteral("        verbosity: worked\n"), QStringLiteral("        verbosty: worked\n"));
        page.setYaml(text);
        QVERIFY2(page.check().contains(QStringLiteral("unknown key 'verbosty' in teacher")), qPrintable(page.check()));
        QVERIFY(page.check().contains(QStringLiteral("line ")));
        // Saved as YAML and read back.
        const QString saved = m_dir.filePath(QStringLiteral("saved.yaml"));
        page.loadRecipe(QStringLiteral("s1"));
        QVERIFY(page.saveFile(saved));
        page.setYaml(QString());
        QVERIFY(page.loadFile(saved));
        QCOMPARE(page.stageTable()->rowCount(), 7);
    }

    // A stage edited with its kind's form goes back into the text: the change, the unchanged
    // ${vars.*} references and the other stages as they were, and the pipeline still reads.
    void stageEditedWithItsForm()
    {
        PipelinePage page;
        QVERIFY(page.loadRecipe(QStringLiteral("distillation")));
        const QString before = page.yaml();
        std::unique_ptr<widgets::JobForm> form(page.stageForm(2));
        QVERIFY(form);
        QCOMPARE(form->kind(), QStringLiteral("sft"));
        QCOMPARE(form->name(), QStringLiteral("sft"));
        QCOMPARE(form->value(QStringLiteral("train.max_steps")).get<int>(), 1000);  // ${vars.sft_steps} filled in
        QCOMPARE(form->value(QStringLiteral("data.datasets[0].name")).get<std::string>(), std::string("${data.dataset}"));
        QVERIFY(form->setValue(QStringLiteral("train.lr"), 0.001));
        QVERIFY(form->setSectionEnabled(QStringLiteral("early_stopping"), true));
        QVERIFY(form->setValue(QStringLiteral("early_stopping.patience"), 4));
        form->resize(760, 680);
        form->show();
        QVERIFY(QTest::qWaitForWindowExposed(form.get()));
        QVERIFY(form->field(QStringLiteral("data.datasets[0].name"))->isVisible());
        QVERIFY(test::saveScreenshot(*form, QStringLiteral("pipeline_stage_form.png")));
        QVERIFY(page.applyStageForm(2, *form));
        const QString after = page.yaml();
        QVERIFY2(page.check().isEmpty(), qPrintable(page.check()));
        QVERIFY(after.contains(QStringLiteral("lr: 0.001")));
        QVERIFY(after.contains(QStringLiteral("max_steps: ${vars.sft_steps}")));
        QVERIFY(after.contains(QStringLiteral("patience: 4")));
        const qsizetype sftAt = before.indexOf(QStringLiteral("  - name: sft"));
        QCOMPARE(after.left(sftAt), before.left(sftAt));  // the comments, vars and earlier stages
        const QString evalStage = before.mid(before.indexOf(QStringLiteral("  - name: eval")));
        QVERIFY(after.endsWith(evalStage));
        QCOMPARE(page.stageTable()->rowCount(), 4);
        page.resize(1400, 800);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("pipeline_stage_edited.png")));
        // The form of a stage that is not there: no form, the reason shown.
        QVERIFY(!page.stageForm(7));
        QVERIFY(page.stateText().contains(QStringLiteral("no such stage")));
    }

    void passTextReadsSummaries()
    {
        const QJsonObject training = QJsonDocument::fromJson(
            "{\"benchmarks\": {\"first\": {\"step\": 0, \"toy\": {\"pass@1\": {\"value\": 0.005}}}, \"last\": {\"step\": 1000, \"toy\": {\"pass@1\": {\"value\": 0.88}}}}}").object();
        QCOMPARE(PipelinePage::passText(training), QStringLiteral("0.005 → 0.880 (toy)"));
        const QJsonObject evaluation = QJsonDocument::fromJson("{\"toy\": {\"pass@1\": {\"value\": 0.5, \"ci\": [0.4, 0.6]}}}").object();
        QCOMPARE(PipelinePage::passText(evaluation), QStringLiteral("0.500 (toy)"));
        QCOMPARE(PipelinePage::passText(QJsonObject{{QStringLiteral("dataset"), QStringLiteral("d")}}), QString());
    }

    void runsStopsAndResumesFromThePage()
    {
        const QString ws = m_dir.filePath(QStringLiteral("pipeline.distillery"));
        PipelinePage page;
        page.resize(1400, 700);
        page.setWorkspacePath(ws);
        page.setYaml(shortDistillation(40));
        QVERIFY2(page.check().isEmpty(), qPrintable(page.check()));
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const QTableWidget* table = page.stageTable();

        // Started, then stopped while the teacher writes.
        QSignalSpy finished(page.controller(), &widgets::RunController::finished);
        QSignalSpy progress(page.controller(), &widgets::RunController::progress);
        QVERIFY(page.startPipeline());
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 3, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(table, 0, PipelinePage::StatusColumn), QStringLiteral("running"), 10000);
        QVERIFY(cell(table, 0, PipelinePage::ProgressColumn).contains(QStringLiteral(" of 80")));
        QVERIFY(test::saveScreenshot(page, QStringLiteral("pipeline_running.png")));
        page.stopPipeline();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("stopped"));
        QCOMPARE(cell(table, 0, PipelinePage::StatusColumn), QStringLiteral("stopped"));
        QCOMPARE(cell(table, 1, PipelinePage::StatusColumn), QStringLiteral("not started"));
        const qint64 runId = page.runId();
        QVERIFY(runId > 0);

        // Resumed to the end: every stage finished, with its run and the pass@1 it measured.
        QVERIFY(page.resumePipeline());
        QVERIFY(finished.wait(240000));
        QCOMPARE(finished[1][1].toString(), QStringLiteral("finished"));
        QCOMPARE(page.runId(), runId);
        QSet<QString> runs;
        for (int row = 0; row < table->rowCount(); ++row) {
            QCOMPARE(cell(table, row, PipelinePage::StatusColumn), QStringLiteral("finished"));
            runs.insert(cell(table, row, PipelinePage::RunColumn));
        }
        QCOMPARE(runs.size(), 4);  // four stage runs
        QVERIFY2(cell(table, 2, PipelinePage::PassColumn).contains(QStringLiteral(" → ")), qPrintable(cell(table, 2, 5)));
        QVERIFY2(cell(table, 3, PipelinePage::PassColumn).endsWith(QStringLiteral("(toy)")), qPrintable(cell(table, 3, 5)));
        QVERIFY(page.stateText().contains(QStringLiteral("finished")));
        QVERIFY(test::saveScreenshot(page, QStringLiteral("pipeline_finished.png")));

        // A page opened later on the workspace: the stored pipeline and its stages.
        PipelinePage later;
        later.setWorkspacePath(ws);
        QTRY_COMPARE_WITH_TIMEOUT(later.runId(), runId, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(cell(later.stageTable(), 3, PipelinePage::StatusColumn), QStringLiteral("finished"), 10000);
        QCOMPARE(cell(later.stageTable(), 3, PipelinePage::PassColumn), cell(table, 3, PipelinePage::PassColumn));
    }

    // The R1 and s1 recipes, shortened, run to the end from the page.
    void r1AndS1RunFromThePage_data()
    {
        QTest::addColumn<QString>("recipe");
        QTest::addColumn<QStringList>("vars");  // name=value
        QTest::newRow("r1") << QStringLiteral("r1")
                            << QStringList{"cold_problems=40", "cold_steps=3", "rl_steps=1", "rs_problems=6", "rs_samples=2",
                                           "rs_status=any", "sft_steps=3", "eval_problems=3", "eval_samples=2"};
        QTest::newRow("s1") << QStringLiteral("s1")
                            << QStringList{"problems=60", "select=10", "sft_steps=3", "eval_problems=3", "eval_samples=2"};
    }

    void r1AndS1RunFromThePage()
    {
        QFETCH(QString, recipe);
        QFETCH(QStringList, vars);
        YAML::Node spec = YAML::LoadFile(DISTILLERY_SOURCE_DIR "/resources/recipes/" + recipe.toStdString() + ".yaml");
        for (const QString& v : vars)
            spec["vars"][v.section(QLatin1Char('='), 0, 0).toStdString()] = v.section(QLatin1Char('='), 1).toStdString();
        YAML::Emitter out;
        out << spec;
        PipelinePage page;
        page.setWorkspacePath(m_dir.filePath(recipe + QStringLiteral(".distillery")));
        page.setYaml(QString::fromUtf8(out.c_str()));
        QVERIFY2(page.check().isEmpty(), qPrintable(page.check()));
        QSignalSpy finished(page.controller(), &widgets::RunController::finished);
        QVERIFY(page.startPipeline());
        QVERIFY(finished.wait(240000));
        QVERIFY2(finished[0][1].toString() == QLatin1String("finished"), qPrintable(page.stateText()));
        for (int row = 0; row < page.stageTable()->rowCount(); ++row)
            QCOMPARE(cell(page.stageTable(), row, PipelinePage::StatusColumn), QStringLiteral("finished"));
        // The last stage evaluated the final SFT checkpoint.
        QVERIFY(cell(page.stageTable(), page.stageTable()->rowCount() - 1, PipelinePage::PassColumn).endsWith(QStringLiteral("(toy)")));
    }

    // The first start of ./run.sh: on a new workspace the toy demo's pipeline starts by itself, its
    // curves fill in live (SFT loss, GRPO reward, pass@1 at each evaluation), the Samples page is told
    // as samples arrive, and the run ends with the demo's report. On a workspace with a pipeline run,
    // that run is shown instead, curves and report read back from the workspace.
    void firstStartRunsTheDemoOnce()
    {
        const QString ws = m_dir.filePath(QStringLiteral("first.distillery"));
        store::Workspace::create(ws.toStdString(), {false, {}}).close();  // as the main window opens it
        train::ToyDemoOptions demo;
        demo.problems = 40;
        demo.sftSteps = 3;
        demo.grpoSteps = 1;
        demo.evalProblems = 3;
        demo.evalSamples = 2;
        const QString yaml = QString::fromStdString(train::toyDemoPipelineYaml(demo));
        const auto report = [](const store::Workspace& w, qint64 runId) {
            return QString::fromStdString(train::toyDemoReportText(w, runId));
        };
        PipelinePage page;
        page.resize(1280, 800);
        page.setReportMaker(report);
        QSignalSpy started(page.controller(), &widgets::RunController::started);
        QSignalSpy finished(page.controller(), &widgets::RunController::finished);
        QSignalSpy samples(&page, &PipelinePage::samplesChanged);
        page.startWhenNew(yaml);
        page.setWorkspacePath(ws);
        QVERIFY(started.wait(30000));
        QCOMPARE(page.stageTable()->rowCount(), 5);  // teacher, data, sft, eval, grpo
        QCOMPARE(cell(page.stageTable(), 4, PipelinePage::KindColumn), QStringLiteral("grpo"));
        QVERIFY(finished.wait(300000));
        QCOMPARE(finished.back().at(1).toString(), QStringLiteral("finished"));
        QVERIFY(!samples.isEmpty());

        // Live: the loss of each SFT step, GRPO's reward, and the five evaluations in pipeline order
        // (the SFT hook at steps 0 and 3, the eval stage, the GRPO hook at steps 0 and 1).
        const PipelineCurves* curves = page.curves();
        for (int p = 0; p < PipelineCurves::PanelCount; ++p)
            curves->plot(PipelineCurves::Panel(p))->flush();
        QCOMPARE(curves->plot(PipelineCurves::LossPanel)->seriesNames(), QStringList{QStringLiteral("sft")});
        QCOMPARE(curves->plot(PipelineCurves::LossPanel)->pointCount(QStringLiteral("sft")), 3);
        QCOMPARE(curves->plot(PipelineCurves::RewardPanel)->seriesNames(), QStringList{QStringLiteral("grpo")});
        QCOMPARE(curves->plot(PipelineCurves::RewardPanel)->pointCount(QStringLiteral("grpo")), 1);
        const QStringList passSeries = {QStringLiteral("sft (toy)"), QStringLiteral("eval (toy)"), QStringLiteral("grpo (toy)")};
        QCOMPARE(curves->plot(PipelineCurves::PassPanel)->seriesNames(), passSeries);
        QCOMPARE(curves->evaluations(), 5);

        QTRY_VERIFY_WITH_TIMEOUT(!page.reportText().isEmpty(), 10000);
        const QString text = page.reportText();
        for (const char* line : {"teacher: 80 toy samples, ", "sft: pass@1 ", "(3 steps)", "eval: pass@1 ", "grpo: pass@1 ",
                                 "(1 steps)", "grpo: rollout reward "})
            QVERIFY2(text.contains(QLatin1String(line)), qPrintable(text));
        QVERIFY(test::saveScreenshot(page, QStringLiteral("pipeline_first_start.png")));
        const qint64 runId = page.runId();

        PipelinePage again;
        again.setReportMaker(report);
        QSignalSpy startedAgain(again.controller(), &widgets::RunController::started);
        QSignalSpy reportAgain(&again, &PipelinePage::reportRead);
        again.startWhenNew(yaml);
        again.setWorkspacePath(ws);
        QTRY_COMPARE_WITH_TIMEOUT(again.runId(), runId, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!reportAgain.isEmpty(), 10000);
        QCOMPARE(again.reportText(), text);
        QCOMPARE(again.curves()->evaluations(), 5);
        again.curves()->plot(PipelineCurves::LossPanel)->flush();
        QCOMPARE(again.curves()->plot(PipelineCurves::LossPanel)->pointCount(QStringLiteral("sft")), 3);
        QTest::qWait(200);
        QVERIFY(startedAgain.isEmpty());
        QVERIFY(!again.controller()->isRunning());

        // Another pipeline's run has no demo report.
        const store::Workspace w = store::Workspace::open(ws.toStdString());
        QVERIFY(report(w, page.stageTable()->item(2, PipelinePage::RunColumn)->text().toLongLong()).isEmpty());
    }
};

QTEST_MAIN(TestPipelinePage)
#include "tst_pipeline_page.moc"
