// PlaygroundPage and ChatSession on toy students (resources/toy config and tokenizer): a greedy reply
// equals what the engine gives directly for the same chat prompt, tokens stream before the end, stop
// ends a reply early, budget forcing closes thinking, run checkpoints are offered, and a screenshot of a two-turn conversation
// (<build>/screenshots/playground_page.png) with a student trained here to memorise two replies.
// libtorch headers come before Qt's (Qt's `slots` macro clashes with them).
#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/model/model_config.h"
#include "core/store/workspace.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"

#include <torch/torch.h>

#include "widgets/models/chat_session.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/model_list_model.h"
#include "widgets/views/playground_page.h"
#include "tests/support/screenshot.h"

#include <QDir>
#include <QFile>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>

using namespace distill;
using namespace distill::widgets;

namespace {

const QString kToy = QStringLiteral(DISTILLERY_SOURCE_DIR "/resources/toy");
const std::string kQuestion1 = "What is 3 + 4?";
const std::string kReply1 =
    "<think>\nThe user asks for 3 + 4. Counting on from 3: 4, 5, 6, 7. So $3 + 4 = 7$.\n</think>\n\nThe answer is **7**.";
const std::string kAnswer1 = "The answer is **7**.";
const std::string kQuestion2 = "Now double it.";
const std::string kReply2 = "<think>\nDouble 7 means $7 + 7 = 14$.\n</think>\n\nDoubled, that is **14**.";

nlohmann::ordered_json message(const std::string& role, const std::string& content)
{
    return {{"role", role}, {"content", content}};
}

// A toy student saved as an HF folder with the toy tokenizer; `train`: fitted to the two-turn chat above.
void makeStudent(const QString& folder, bool train, std::uint64_t seed)
{
    const std::filesystem::path toy = kToy.toStdString();
    const auto config = model::ModelConfig::fromFile(toy / "student_config.json");
    model::CausalLM student = model::buildModel(config, {}, seed);
    if (train) {
        const auto tok = tokenizer::Tokenizer::fromDirectory(toy);
        const auto chat = tokenizer::ChatTemplate::fromTokenizer(*tok);
        const auto one = nlohmann::ordered_json::array({message("user", kQuestion1), message("assistant", kReply1)});
        const auto two = nlohmann::ordered_json::array({message("user", kQuestion1), message("assistant", kAnswer1),
                                                        message("user", kQuestion2), message("assistant", kReply2)});
        // The second conversation teaches only its last reply (the first is the answer alone, as the
        // playground sends history back), so the two never disagree about the first turn.
        auto firstTurns = nlohmann::ordered_json::array({two[0], two[1], two[2]});
        const std::size_t taught = tok->encode(chat.generationPrompt(firstTurns, false).text).size();
        std::vector<std::pair<torch::Tensor, torch::Tensor>> rows;  // ids, labels [1, T]
        for (const bool second : {false, true}) {
            const auto ids = tok->encode(chat.render(second ? two : one, false));
            const auto row = torch::tensor(std::vector<std::int64_t>(ids.begin(), ids.end())).unsqueeze(0);
            auto labels = row.clone();
            if (second)
                labels.slice(1, 0, std::int64_t(taught)).fill_(-100);
            rows.emplace_back(row, labels);
        }
        student->train();
        torch::optim::AdamW optimizer(student->parameters(), torch::optim::AdamWOptions(5e-3).weight_decay(0.0));
        QElapsedTimer timer;
        timer.start();
        double last = 0.0;
        for (int step = 0; step < 80; ++step)
            for (const auto& [row, labels] : rows) {
                const auto loss = model::causalLmLoss(student->forward(row), labels);
                loss.backward();
                optimizer.step();
                optimizer.zero_grad();
                last = loss.item<double>();
            }
        qInfo("toy student fitted in %.1f s, final loss %.4f", double(timer.elapsed()) / 1000.0, last);
        student->eval();
    }
    model::SaveOptions save;
    save.copyFilesFrom = toy;
    model::saveModel(*student, folder.toStdString(), save);
}

}  // namespace

class TestPlaygroundPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_chat, m_random;
    std::unique_ptr<ModelListModel> m_models;

    // A page with the model loaded and greedy settings.
    std::unique_ptr<PlaygroundPage> openPage(const QString& folder, int maxNewTokens)
    {
        auto page = std::make_unique<PlaygroundPage>(m_models.get());
        ChatSettings s;
        s.temperature = 0.0;
        s.maxNewTokens = maxNewTokens;
        page->setSettings(s);
        QSignalSpy loaded(page.get(), &PlaygroundPage::modelLoaded);
        if (!page->selectModel(folder))
            return {};
        if (!loaded.wait(60000))
            return {};
        return page;
    }

    static bool waitReply(PlaygroundPage& page)
    {
        QSignalSpy finished(&page, &PlaygroundPage::replyFinished);
        return page.isGenerating() ? finished.wait(120000) : true;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        torch::set_num_threads(1);  // test machines are shared; threads only spin
        m_chat = m_dir.filePath(QStringLiteral("toy-chat"));
        m_random = m_dir.filePath(QStringLiteral("toy-random"));
        makeStudent(m_chat, true, 1);
        makeStudent(m_random, false, 7);
        m_models = std::make_unique<ModelListModel>(nullptr, QString());
        m_models->addFolder(m_chat);
        m_models->addFolder(m_random);
        m_models->addFolder(QStringLiteral(DISTILLERY_SOURCE_DIR "/tests/fixtures/models/tiny-qwen2"));  // no tokenizer
        QTRY_COMPARE_WITH_TIMEOUT(m_models->pending(), 0, 20000);
    }

    void offersChatReadyModels()
    {
        PlaygroundPage page(m_models.get());
        QCOMPARE(page.modelChoices(), (QStringList{QDir::cleanPath(m_chat), QDir::cleanPath(m_random)}));
        QVERIFY(!page.isModelLoaded());
    }

    void offersRunCheckpoints()
    {
        store::CreateOptions options;
        options.loadBenchmarks = false;
        auto ws = store::Workspace::create(m_dir.filePath(QStringLiteral("runs.distillery")).toStdString(), options);
        store::Run run;
        run.kind = store::RunKind::Sft;
        run.name = "toy-sft";
        run.status = "finished";
        run.folder = m_dir.filePath(QStringLiteral("run-sft")).toStdString();
        ws.createRun(run);
        const QString checkpoint = m_dir.filePath(QStringLiteral("run-sft/checkpoint-20"));
        QVERIFY(QDir().mkpath(checkpoint));
        for (const QString& file : QDir(m_random).entryList(QDir::Files))
            QVERIFY(QFile::copy(QDir(m_random).filePath(file), QDir(checkpoint).filePath(file)));
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("run-sft/checkpoint-10"))));  // no tokenizer: not offered
        // Complete checkpoints, as a training job leaves them: each with its trainer state.
        for (const QString& step : {QStringLiteral("10"), QStringLiteral("20")}) {
            QFile state(m_dir.filePath(QStringLiteral("run-sft/checkpoint-%1/trainer_state.json").arg(step)));
            QVERIFY(state.open(QIODevice::WriteOnly));
            state.write(QStringLiteral("{\"step\": %1}").arg(step).toUtf8());
        }

        PlaygroundPage page(m_models.get());
        page.setWorkspacePath(QString::fromStdString(ws.path()));
        QVERIFY(page.jobs()->waitForIdle());  // the run checkpoints are read off the GUI thread
        QCOMPARE(page.modelChoices().size(), 3);
        QCOMPARE(page.modelChoices().last(), checkpoint);
        QSignalSpy loaded(&page, &PlaygroundPage::modelLoaded);
        QVERIFY(page.selectModel(checkpoint));
        QVERIFY(loaded.wait(60000));
        page.setWorkspacePath({});
        QCOMPARE(page.modelChoices().size(), 2);
    }

    void greedyReplyEqualsEngine()
    {
        auto page = openPage(m_chat, 160);
        QVERIFY(page);
        QVERIFY(page->isModelLoaded());
        int partialsBeforeEnd = 0;
        bool ended = false;
        QString streamedReasoning, streamedContent;
        connect(page->session(), &ChatSession::partial, this,
                [&](const QString& reasoning, const QString& content, qint64 tokens, double) {
                    if (!ended && tokens > 0)
                        ++partialsBeforeEnd;
                    streamedReasoning += reasoning;
                    streamedContent += content;
                });
        connect(page->session(), &ChatSession::finished, this, [&] { ended = true; });
        QVERIFY(page->send(QString::fromStdString(kQuestion1)));
        QVERIFY(page->isGenerating());
        QVERIFY(waitReply(*page));
        const ChatReply& reply = page->lastReply();
        QVERIFY(!reply.ids.isEmpty());

        // The engine directly, on the same chat prompt.
        const auto tok = tokenizer::Tokenizer::fromDirectory(m_chat.toStdString());
        const auto chat = tokenizer::ChatTemplate::fromTokenizer(*tok);
        const std::string prompt = chat.generationPrompt(nlohmann::ordered_json::array({message("user", kQuestion1)}), false).text;
        const auto promptIds = tok->encode(prompt);
        model::LoadedModel loaded = model::loadModel(m_chat.toStdString());
        infer::EngineOptions options;
        options.maxBatch = 1;
        options.detokenize = [&](const std::vector<std::int64_t>& ids) {
            return tok->decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
        };
        infer::Engine engine(loaded.model.ptr(), options);
        infer::GenerationRequest request;
        request.prompt.assign(promptIds.begin(), promptIds.end());
        request.sampling.temperature = 0.0;
        request.maxNewTokens = 160;
        request.stopTokenIds = {*tok->eosId()};
        const infer::Completion direct = engine.generate({request}).at(0);

        QCOMPARE(reply.promptTokens, qint64(promptIds.size()));
        QCOMPARE(std::vector<std::int64_t>(reply.ids.begin(), reply.ids.end()), direct.ids);
        QCOMPARE(reply.text, QString::fromStdString(direct.text));
        QCOMPARE(reply.finish, direct.finish == infer::FinishReason::Stop ? ChatReply::Finish::Stop
                                                                          : ChatReply::Finish::Length);
        // The memorised reply: thinking and answer as separate parts.
        QVERIFY(reply.thinking);
        QCOMPARE(reply.content, QString::fromStdString(kAnswer1));
        QVERIFY(reply.reasoning.startsWith(QStringLiteral("The user asks")));
        QVERIFY(reply.thinkingTokens > 0 && reply.thinkingTokens < reply.ids.size());

        // Streamed before the end, and the streamed parts add up to the reply.
        QVERIFY(partialsBeforeEnd >= 1);
        QCOMPARE(streamedReasoning, reply.reasoning);
        QCOMPARE(streamedContent, reply.content);
        const QString shown = page->conversationView()->toPlainText();
        QVERIFY(shown.contains(QStringLiteral("Thinking")));
        QVERIFY(shown.contains(QStringLiteral("Answer")));
        QVERIFY(shown.contains(reply.content));
        QVERIFY(page->statsText().contains(QStringLiteral("tokens/s")));
        QCOMPARE(page->turns().size(), 2);
        QCOMPARE(page->turns().at(1).content, reply.content);
    }

    void stopEndsReplyEarly()
    {
        auto page = openPage(m_random, 400);
        QVERIFY(page);
        // Stopped at once: before its first token is kept.
        QVERIFY(page->send(QStringLiteral("Tell me a long story.")));
        page->stop();
        QVERIFY(waitReply(*page));
        QCOMPARE(page->lastReply().finish, ChatReply::Finish::Stopped);
        QVERIFY(page->lastReply().ids.isEmpty());

        // Stopped while streaming.
        page->clearConversation();
        QSignalSpy partial(page->session(), &ChatSession::partial);
        QVERIFY(page->send(QStringLiteral("Tell me a long story.")));
        QVERIFY(partial.wait(60000));
        page->stop();
        QVERIFY(waitReply(*page));
        const ChatReply& reply = page->lastReply();
        QCOMPARE(reply.finish, ChatReply::Finish::Stopped);
        QVERIFY(!reply.ids.isEmpty());
        QVERIFY(reply.ids.size() < 400);
        QVERIFY(page->statsText().contains(QStringLiteral("stopped")));
        QVERIFY(!page->isGenerating());
    }

    void budgetForcingClosesThinking()
    {
        auto page = openPage(m_chat, 60);
        QVERIFY(page);
        ChatSettings s = page->settings();
        s.thinkPrefill = true;
        s.maxThinkingTokens = 10;
        page->setSettings(s);
        QVERIFY(page->send(QString::fromStdString(kQuestion1)));
        QVERIFY(waitReply(*page));
        const ChatReply& reply = page->lastReply();
        QVERIFY(reply.thinking);
        QCOMPARE(reply.thinkingTokens, qint64(10));
        QVERIFY(reply.text.contains(QStringLiteral("</think>")));
        QVERIFY(!reply.reasoning.isEmpty());
    }

    void staleLoadIsDropped()
    {
        PlaygroundPage page(m_models.get());
        QSignalSpy loaded(page.session(), &ChatSession::loaded);
        page.session()->load(m_random);
        page.session()->load(m_chat);  // replaces the first before it answers
        QVERIFY(loaded.wait(60000));
        QTest::qWait(100);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.at(0).at(0).toString(), QStringLiteral("toy-chat"));
    }

    void screenshot()
    {
        auto page = openPage(m_chat, 200);
        QVERIFY(page);
        page->resize(1300, 820);
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        QVERIFY(page->send(QString::fromStdString(kQuestion1)));
        QVERIFY(waitReply(*page));
        QVERIFY(page->send(QString::fromStdString(kQuestion2)));
        QVERIFY(waitReply(*page));
        QCOMPARE(page->turns().size(), 4);
        QVERIFY(page->lastReply().content.contains(QStringLiteral("14")));
        QTest::qWait(50);
        QVERIFY(test::saveScreenshot(*page, QStringLiteral("playground_page.png")));
    }
};

QTEST_MAIN(TestPlaygroundPage)
#include "tst_playground_page.moc"
