// PlaygroundPage implementation: the conversation is one read-only rich-text document; each turn is
// a frame, and a reply's thinking and answer are two frames whose text grows as tokens stream in.
#include "widgets/views/playground_page.h"

#include "widgets/models/chat_session.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/model_list_model.h"
#include "widgets/views/cot_highlighter.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBlock>
#include <QTextEdit>
#include <QTextFrame>
#include <QVBoxLayout>

namespace distill::widgets {

namespace {

const QColor kUserBackground(0xe8, 0xf0, 0xfe);
const QColor kThinkingBackground(0xf4, 0xf4, 0xf1);
const QColor kThinkingText(0x5a, 0x5a, 0x5a);
const QColor kAnswerBackground(0xff, 0xff, 0xff);
const QColor kBorder(0xd0, 0xd4, 0xda);
const QColor kMuted(0x80, 0x80, 0x80);
const QColor kError(0xb0, 0x20, 0x20);

QTextFrameFormat frameFormat(const QColor& background, qreal leftMargin)
{
    QTextFrameFormat f;
    f.setBackground(background);
    f.setBorder(1);
    f.setBorderBrush(kBorder);
    f.setBorderStyle(QTextFrameFormat::BorderStyle_Solid);
    f.setPadding(6);
    f.setTopMargin(4);
    f.setBottomMargin(4);
    f.setLeftMargin(leftMargin);
    return f;
}

QTextCharFormat labelFormat()
{
    QTextCharFormat f;
    f.setFontWeight(QFont::Bold);
    f.setForeground(QColor(0x33, 0x33, 0x33));
    return f;
}

QTextCharFormat textFormat(const QColor& color, bool italic = false)
{
    QTextCharFormat f;
    f.setForeground(color);
    f.setFontItalic(italic);
    return f;
}

// The end of the document, outside every frame.
QTextCursor documentEnd(QTextDocument* doc)
{
    return doc->rootFrame()->lastCursorPosition();
}

QString finishText(ChatReply::Finish finish)
{
    switch (finish) {
    case ChatReply::Finish::Stop: return PlaygroundPage::tr("end of turn");
    case ChatReply::Finish::Length: return PlaygroundPage::tr("max new tokens reached");
    case ChatReply::Finish::Stopped: return PlaygroundPage::tr("stopped");
    }
    return {};
}

}  // namespace

PlaygroundPage::PlaygroundPage(ModelListModel* models, QWidget* parent)
    : Page(parent), m_models(models), m_session(new ChatSession(this)), m_jobs(new JobTracker(this)),
      m_model(new QComboBox(this)),
      m_device(new QComboBox(this)), m_reloadModel(new QPushButton(tr("Load"), this)), m_modelState(new QLabel(this)),
      m_view(new QTextEdit(this)), m_input(new QPlainTextEdit(this)), m_send(new QPushButton(tr("Send"), this)),
      m_stop(new QPushButton(tr("Stop"), this)), m_clear(new QPushButton(tr("New chat"), this)),
      m_stats(new QLabel(this)), m_system(new QLineEdit(this))
{
    m_model->setMinimumContentsLength(28);
    m_model->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_model->setToolTip(tr("Models of the Models page that have a tokenizer, and the checkpoints of training runs."));
    m_model->setPlaceholderText(tr("Add a model on the Models page"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    if (ChatWorker::cudaAvailable())
        m_device->addItem(tr("CUDA"), QStringLiteral("cuda"));
    m_reloadModel->setToolTip(tr("Load the chosen model (again)."));
    connect(m_model, &QComboBox::activated, this, &PlaygroundPage::loadCurrentModel);
    connect(m_device, &QComboBox::activated, this, &PlaygroundPage::loadCurrentModel);
    connect(m_reloadModel, &QPushButton::clicked, this, &PlaygroundPage::loadCurrentModel);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Model:"), this));
    top->addWidget(m_model, 1);
    top->addWidget(new QLabel(tr("Device:"), this));
    top->addWidget(m_device);
    top->addWidget(m_reloadModel);
    top->addWidget(m_modelState, 1);

    m_view->setReadOnly(true);
    m_view->setObjectName(QStringLiteral("conversation"));
    m_view->document()->setDocumentMargin(8);
    new CotHighlighter(m_view->document());

    m_input->setPlaceholderText(tr("Message (Ctrl+Enter sends)"));
    m_input->setMaximumHeight(90);
    auto* sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_input);
    connect(sendShortcut, &QShortcut::activated, m_send, &QPushButton::click);
    connect(m_send, &QPushButton::clicked, this, [this] {
        if (send(m_input->toPlainText()))
            m_input->clear();
    });
    m_stop->setToolTip(tr("End the reply after the next token; what was generated is kept."));
    connect(m_stop, &QPushButton::clicked, this, &PlaygroundPage::stop);
    connect(m_clear, &QPushButton::clicked, this, &PlaygroundPage::clearConversation);
    m_stats->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_send);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_clear);
    buttons->addStretch(1);
    auto* inputRow = new QHBoxLayout;
    inputRow->addWidget(m_input, 1);
    inputRow->addLayout(buttons);

    auto* chat = new QWidget(this);
    auto* chatLayout = new QVBoxLayout(chat);
    chatLayout->setContentsMargins(0, 0, 0, 0);
    chatLayout->addLayout(top);
    chatLayout->addWidget(m_view, 1);
    chatLayout->addLayout(inputRow);
    chatLayout->addWidget(m_stats);

    auto* panel = new QWidget(this);
    buildControls(panel);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(chat);
    splitter->addWidget(panel);
    splitter->setStretchFactor(0, 4);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_session, &ChatSession::loaded, this, &PlaygroundPage::onLoaded);
    connect(m_session, &ChatSession::loadFailed, this, &PlaygroundPage::onLoadFailed);
    connect(m_session, &ChatSession::started, this, &PlaygroundPage::onStarted);
    connect(m_session, &ChatSession::partial, this, &PlaygroundPage::onPartial);
    connect(m_session, &ChatSession::finished, this, &PlaygroundPage::onFinished);
    connect(m_session, &ChatSession::failed, this, &PlaygroundPage::onFailed);
    if (m_models) {
        connect(m_models, &QAbstractItemModel::dataChanged, this, &PlaygroundPage::refillModels);
        connect(m_models, &QAbstractItemModel::rowsInserted, this, &PlaygroundPage::refillModels);
        connect(m_models, &QAbstractItemModel::rowsRemoved, this, &PlaygroundPage::refillModels);
        connect(m_models, &QAbstractItemModel::modelReset, this, &PlaygroundPage::refillModels);
    }
    refillModels();
    m_modelState->setText(tr("No model loaded."));
    setGenerating(false);
}

PlaygroundPage::~PlaygroundPage() = default;

void PlaygroundPage::buildControls(QWidget* panel)
{
    m_temperature = new QDoubleSpinBox(panel);
    m_temperature->setRange(0.0, 2.0);
    m_temperature->setSingleStep(0.1);
    m_temperature->setDecimals(2);
    m_temperature->setToolTip(tr("0 = greedy: always the most likely token."));
    m_topP = new QDoubleSpinBox(panel);
    m_topP->setRange(0.01, 1.0);
    m_topP->setSingleStep(0.05);
    m_topP->setDecimals(2);
    m_topP->setToolTip(tr("Nucleus sampling: keep the most likely tokens that cover this share of probability."));
    m_topK = new QSpinBox(panel);
    m_topK->setRange(0, 100000);
    m_topK->setSpecialValueText(tr("off"));
    m_topK->setToolTip(tr("Sample only among the K most likely tokens."));
    m_maxNewTokens = new QSpinBox(panel);
    m_maxNewTokens->setRange(1, 131072);
    m_maxNewTokens->setToolTip(tr("The reply ends after this many tokens (thinking included)."));
    m_seed = new QSpinBox(panel);
    m_seed->setRange(0, 2147483647);
    m_seed->setToolTip(tr("The same seed and settings give the same reply."));

    auto* sampling = new QGroupBox(tr("Sampling"), panel);
    auto* samplingForm = new QFormLayout(sampling);
    samplingForm->addRow(tr("Temperature:"), m_temperature);
    samplingForm->addRow(tr("Top-p:"), m_topP);
    samplingForm->addRow(tr("Top-k:"), m_topK);
    samplingForm->addRow(tr("Max new tokens:"), m_maxNewTokens);
    samplingForm->addRow(tr("Seed:"), m_seed);

    m_thinkPrefill = new QCheckBox(tr("Start the reply with <think>"), panel);
    m_thinkPrefill->setToolTip(tr("End the prompt in \"<think>\\n\" when the chat template does not open thinking itself."));
    m_maxThinking = new QSpinBox(panel);
    m_maxThinking->setRange(-1, 131072);
    m_maxThinking->setSpecialValueText(tr("unlimited"));
    m_maxThinking->setToolTip(tr("After this many thinking tokens, \"</think>\" is forced and the answer begins."));
    m_minThinking = new QSpinBox(panel);
    m_minThinking->setRange(0, 131072);
    m_minThinking->setToolTip(tr("An earlier end of thinking is replaced by \"Wait\" so the model thinks on."));
    m_maxWaits = new QSpinBox(panel);
    m_maxWaits->setRange(0, 100);
    m_maxWaits->setToolTip(tr("How often an early end of thinking may be replaced by \"Wait\"."));

    auto* budget = new QGroupBox(tr("Budget forcing"), panel);
    auto* budgetForm = new QFormLayout(budget);
    budgetForm->addRow(m_thinkPrefill);
    budgetForm->addRow(tr("Max thinking tokens:"), m_maxThinking);
    budgetForm->addRow(tr("Min thinking tokens:"), m_minThinking);
    budgetForm->addRow(tr("Max \"Wait\"s:"), m_maxWaits);

    m_system->setPlaceholderText(tr("optional"));
    m_system->setToolTip(tr("A system message sent before the conversation."));
    auto* system = new QGroupBox(tr("System prompt"), panel);
    auto* systemLayout = new QVBoxLayout(system);
    systemLayout->addWidget(m_system);

    auto* layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(sampling);
    layout->addWidget(budget);
    layout->addWidget(system);
    layout->addStretch(1);
    setSettings(ChatSettings());
}

QString PlaygroundPage::title() const
{
    return tr("Playground");
}

void PlaygroundPage::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);
    m_checkpoints.clear();
    refillModels();
    readCheckpoints();
}

void PlaygroundPage::reload()
{
    readCheckpoints();
}

void PlaygroundPage::readCheckpoints()
{
    if (!m_jobs->hasWorkspace())
        return;
    startReadingRunCheckpoints(
        *m_jobs, {store::RunKind::Sft, store::RunKind::Grpo},
        [this](const QVector<RunCheckpoint>& checkpoints, const QString& error) {
            if (!error.isEmpty())
                return;  // runs that cannot be listed are simply not offered
            m_checkpoints = checkpoints;
            refillModels();
        });
}

QStringList PlaygroundPage::modelChoices() const
{
    QStringList folders;
    for (int i = 0; i < m_model->count(); ++i)
        folders << m_model->itemData(i).toString();
    return folders;
}

void PlaygroundPage::refillModels()
{
    const QString current = m_model->currentData().toString();
    QSignalBlocker block(m_model);
    m_model->clear();
    if (m_models) {
        for (int row = 0; row < m_models->rowCount(); ++row) {
            const ModelFolderInfo& info = m_models->info(row);
            if (!info.chatReady())
                continue;
            m_model->addItem(tr("%1 (%2, %3)").arg(info.name, info.modelType, ModelListModel::parameterText(info.parameters)),
                             info.path);
            m_model->setItemData(m_model->count() - 1, info.path, Qt::ToolTipRole);
        }
    }
    for (const RunCheckpoint& c : std::as_const(m_checkpoints)) {
        if (!c.hasTokenizer)
            continue;
        m_model->addItem(tr("%1 › %2").arg(c.runName, QFileInfo(c.folder).fileName()), c.folder);
        m_model->setItemData(m_model->count() - 1, c.folder, Qt::ToolTipRole);
    }
    const int keep = m_model->findData(current.isEmpty() ? m_loadedFolder : current);
    m_model->setCurrentIndex(keep >= 0 ? keep : (m_model->count() > 0 ? 0 : -1));
}

bool PlaygroundPage::selectModel(const QString& folder)
{
    const int index = m_model->findData(QDir::cleanPath(folder));
    if (index < 0)
        return false;
    m_model->setCurrentIndex(index);
    loadCurrentModel();
    return true;
}

void PlaygroundPage::loadCurrentModel()
{
    const QString folder = m_model->currentData().toString();
    if (folder.isEmpty())
        return;
    if (m_session->isGenerating())
        stop();
    m_loadedFolder = folder;
    m_modelState->setText(tr("Loading %1…").arg(QFileInfo(folder).fileName()));
    m_modelState->setStyleSheet(QString());
    m_session->load(folder, m_device->currentData().toString());
    setGenerating(false);
}

void PlaygroundPage::onLoaded(const QString& modelId, bool hasChatTemplate)
{
    m_modelState->setText(hasChatTemplate ? tr("%1 loaded.").arg(modelId)
                                          : tr("%1 loaded; no chat template: the last message is continued as plain text.")
                                                .arg(modelId));
    m_modelState->setStyleSheet(QString());
    setGenerating(isGenerating());
    emit modelLoaded();
}

void PlaygroundPage::onLoadFailed(const QString& error)
{
    m_modelState->setText(tr("Cannot load the model: %1").arg(error));
    m_modelState->setStyleSheet(QStringLiteral("color: #b02020;"));
    m_loadedFolder.clear();
    emit statusMessage(m_modelState->text());
}

bool PlaygroundPage::isModelLoaded() const
{
    return m_session->hasModel() && !m_session->isLoading();
}

bool PlaygroundPage::isGenerating() const
{
    return m_session->isGenerating();
}

ChatSettings PlaygroundPage::settings() const
{
    ChatSettings s;
    s.temperature = m_temperature->value();
    s.topP = m_topP->value();
    s.topK = m_topK->value();
    s.maxNewTokens = m_maxNewTokens->value();
    s.seed = quint64(m_seed->value());
    s.thinkPrefill = m_thinkPrefill->isChecked();
    s.maxThinkingTokens = m_maxThinking->value();
    s.minThinkingTokens = m_minThinking->value();
    s.maxWaits = m_maxWaits->value();
    return s;
}

void PlaygroundPage::setSettings(const ChatSettings& s)
{
    m_temperature->setValue(s.temperature);
    m_topP->setValue(s.topP);
    m_topK->setValue(s.topK);
    m_maxNewTokens->setValue(s.maxNewTokens);
    m_seed->setValue(int(s.seed));
    m_thinkPrefill->setChecked(s.thinkPrefill);
    m_maxThinking->setValue(s.maxThinkingTokens);
    m_minThinking->setValue(s.minThinkingTokens);
    m_maxWaits->setValue(s.maxWaits);
}

bool PlaygroundPage::send(const QString& text)
{
    const QString message = text.trimmed();
    if (message.isEmpty())
        return false;
    if (isGenerating()) {
        emit statusMessage(tr("A reply is still being generated."));
        return false;
    }
    if (!isModelLoaded() && !m_session->isLoading()) {
        if (m_model->currentIndex() < 0) {
            emit statusMessage(tr("Choose a model first (add one on the Models page)."));
            return false;
        }
        loadCurrentModel();  // the worker loads it before it generates
    }
    QList<ChatTurn> turns;
    if (!m_system->text().trimmed().isEmpty())
        turns.append({QStringLiteral("system"), m_system->text().trimmed()});
    turns += m_turns;
    turns.append({QStringLiteral("user"), message});
    m_pendingUser = message;
    appendUserTurn(message);
    beginAssistantTurn();
    m_session->send(turns, settings());
    m_stats->setText(tr("Generating…"));
    setGenerating(true);
    return true;
}

void PlaygroundPage::stop()
{
    m_session->stop();
}

void PlaygroundPage::clearConversation()
{
    if (isGenerating())
        stop();
    m_turns.clear();
    m_view->clear();
    m_thinkingEnd = QTextCursor();
    m_answerEnd = QTextCursor();
    m_stats->clear();
}

void PlaygroundPage::appendUserTurn(const QString& text)
{
    QTextCursor c = documentEnd(m_view->document());
    c.insertFrame(frameFormat(kUserBackground, 60));
    c.insertText(tr("You"), labelFormat());
    c.insertBlock();
    c.insertText(text, textFormat(QColor(0x20, 0x20, 0x20)));
}

void PlaygroundPage::beginAssistantTurn()
{
    QTextCursor c = documentEnd(m_view->document());
    c.insertBlock();
    c.insertText(tr("Assistant"), labelFormat());
    m_thinkingEnd = QTextCursor();
    m_answerEnd = QTextCursor();
    scrollToEnd();
}

// The cursor at the end of the reply's thinking (or answer) frame; the frame is made on first use.
void PlaygroundPage::appendBlockText(bool thinking, const QString& text)
{
    if (text.isEmpty())
        return;
    QTextCursor& end = thinking ? m_thinkingEnd : m_answerEnd;
    if (end.isNull()) {
        QTextCursor c = documentEnd(m_view->document());
        c.insertFrame(frameFormat(thinking ? kThinkingBackground : kAnswerBackground, 0));
        QTextCharFormat label = labelFormat();
        label.setForeground(kMuted);
        label.setFontPointSize(m_view->font().pointSizeF() * 0.9);
        c.insertText(thinking ? tr("Thinking") : tr("Answer"), label);
        c.insertBlock();
        end = c;
    }
    end.insertText(text, thinking ? textFormat(kThinkingText, true) : textFormat(QColor(0x10, 0x10, 0x10)));
    scrollToEnd();
}

// Sets the whole text of a block (the final split of the reply), creating it when needed.
void PlaygroundPage::replaceBlockText(bool thinking, const QString& text)
{
    QTextCursor& end = thinking ? m_thinkingEnd : m_answerEnd;
    if (end.isNull()) {
        appendBlockText(thinking, text);
        return;
    }
    QTextFrame* frame = end.currentFrame();
    QTextCursor start = frame->firstCursorPosition();
    start.movePosition(QTextCursor::NextBlock);  // past the label
    start.setPosition(frame->lastPosition(), QTextCursor::KeepAnchor);
    start.insertText(text, thinking ? textFormat(kThinkingText, true) : textFormat(QColor(0x10, 0x10, 0x10)));
    end = start;
}

void PlaygroundPage::onStarted(qint64 promptTokens, bool opensThinking)
{
    Q_UNUSED(opensThinking);
    m_promptTokens = promptTokens;
}

void PlaygroundPage::onPartial(const QString& reasoning, const QString& content, qint64 tokens, double seconds)
{
    appendBlockText(true, reasoning);
    appendBlockText(false, content);
    m_stats->setText(tr("Generating… %1 tokens · %2 tokens/s")
                         .arg(tokens)
                         .arg(QLocale().toString(seconds > 0 ? double(tokens) / seconds : 0.0, 'f', 1)));
}

void PlaygroundPage::onFinished(const ChatReply& reply)
{
    m_lastReply = reply;
    // The final split decides (streaming may hold back trailing whitespace or a partial tag).
    if (!reply.reasoning.isEmpty() || !m_thinkingEnd.isNull())
        replaceBlockText(true, reply.reasoning);
    if (!reply.content.isEmpty() || !m_answerEnd.isNull())
        replaceBlockText(false, reply.content);
    if (reply.reasoning.isEmpty() && reply.content.isEmpty())
        appendBlockText(false, tr("(empty reply)"));
    m_turns.append({QStringLiteral("user"), m_pendingUser});
    m_turns.append({QStringLiteral("assistant"), reply.content});
    m_pendingUser.clear();

    QTextCursor c = documentEnd(m_view->document());
    c.insertBlock();
    QTextCharFormat small = textFormat(kMuted);
    small.setFontPointSize(m_view->font().pointSizeF() * 0.85);
    c.insertText(statsText(), small);
    m_stats->setText(statsText());
    setGenerating(false);
    scrollToEnd();
    emit replyFinished();
}

void PlaygroundPage::onFailed(const QString& error)
{
    QTextCursor c = documentEnd(m_view->document());
    c.insertBlock();
    c.insertText(tr("Generation failed: %1").arg(error), textFormat(kError));
    m_pendingUser.clear();
    m_stats->setText(tr("Generation failed."));
    setGenerating(false);
    emit statusMessage(tr("Generation failed: %1").arg(error));
    emit replyFinished();
}

QString PlaygroundPage::statsText() const
{
    const ChatReply& r = m_lastReply;
    const QLocale locale;
    QString text = tr("%1 prompt tokens · %2 generated (%3 thinking) · %4 s · %5 tokens/s · first token after %6 s · %7")
                       .arg(r.promptTokens)
                       .arg(r.ids.size())
                       .arg(r.thinkingTokens)
                       .arg(locale.toString(r.seconds, 'f', 2))
                       .arg(locale.toString(r.tokensPerSecond(), 'f', 1))
                       .arg(locale.toString(r.firstTokenSeconds, 'f', 2))
                       .arg(finishText(r.finish));
    if (r.waits > 0)
        text += tr(" · \"Wait\" inserted %1×").arg(r.waits);
    return text;
}

void PlaygroundPage::setGenerating(bool generating)
{
    m_send->setEnabled(!generating);
    m_stop->setEnabled(generating);
    m_model->setEnabled(!generating);
    m_device->setEnabled(!generating);
    m_reloadModel->setEnabled(!generating && m_model->count() > 0);
}

void PlaygroundPage::scrollToEnd()
{
    m_view->verticalScrollBar()->setValue(m_view->verticalScrollBar()->maximum());
}

}  // namespace distill::widgets
