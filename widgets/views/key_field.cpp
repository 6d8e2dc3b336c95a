// KeyField implementation.
#include "widgets/views/key_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QToolButton>

#include <cmath>

namespace distill::widgets {

namespace {

using ojson = nlohmann::ordered_json;

QString numberText(double v)
{
    return QString::number(v, 'g', 12);
}

QString rangeText(const run::KeyDoc& k)
{
    return QStringLiteral("[%1, %2]")
        .arg(k.min ? numberText(*k.min) : QStringLiteral("-∞"), k.max ? numberText(*k.max) : QStringLiteral("∞"));
}

bool inRange(const run::KeyDoc& k, double v)
{
    return !(k.min && v < *k.min) && !(k.max && v > *k.max);
}

QString scalarText(const run::KeyDoc& k, const ojson& v)
{
    if (v.is_null())
        return {};
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    if (v.is_number_integer() || v.is_number_unsigned())
        return QString::number(v.get<long long>());
    if (v.is_number_float())
        return k.type == run::KeyType::Integer ? QString::number(v.get<long long>()) : numberText(v.get<double>());
    if (v.is_object())
        return v.empty() ? QString() : QString::fromStdString(v.dump());
    return QString::fromStdString(v.dump());
}

}  // namespace

KeyField::KeyField(const run::KeyDoc& key, QWidget* parent) : QWidget(parent), m_key(key)
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    switch (m_key.type) {
    case run::KeyType::Bool: {
        auto* box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this, &KeyField::changed);
        m_editor = box;
        break;
    }
    case run::KeyType::Choice: {
        auto* combo = new QComboBox(this);
        for (const std::string& c : m_key.choices)
            combo->addItem(QString::fromStdString(c));
        connect(combo, &QComboBox::currentTextChanged, this, &KeyField::changed);
        m_editor = combo;
        break;
    }
    default: {
        auto* line = new QLineEdit(this);
        connect(line, &QLineEdit::textChanged, this, [this] {
            showProblem();
            emit changed();
        });
        if (m_key.type == run::KeyType::Map)
            line->setPlaceholderText(QStringLiteral("{\"key\": value}"));
        else if (m_key.required)
            line->setPlaceholderText(tr("required"));
        else if (m_key.defaultValue.is_null() && m_key.type != run::KeyType::Text)
            line->setPlaceholderText(tr("not set"));
        m_editor = line;
    }
    }
    layout->addWidget(m_editor, 1);
    m_suggest = new QToolButton(this);
    m_suggest->setArrowType(Qt::DownArrow);
    m_suggest->setPopupMode(QToolButton::InstantPopup);
    m_suggest->setMenu(new QMenu(m_suggest));
    m_suggest->setToolTip(tr("Pick a value"));
    m_suggest->hide();
    layout->addWidget(m_suggest);
    m_browse = new QToolButton(this);
    m_browse->setText(QStringLiteral("…"));
    m_browse->setToolTip(tr("Browse"));
    m_browse->hide();
    connect(m_browse, &QToolButton::clicked, this, &KeyField::browse);
    layout->addWidget(m_browse);
    if (!m_key.unit.empty())
        layout->addWidget(new QLabel(QString::fromStdString(m_key.unit), this));

    // The tooltip: the key's doc, its default and its range or choices.
    m_tip = QString::fromStdString(m_key.doc);
    if (m_key.required)
        m_tip += QLatin1Char('\n') + tr("Required.");
    else if (!m_key.defaultValue.is_null())
        m_tip += QLatin1Char('\n') + tr("Default: %1").arg(QString::fromStdString(m_key.defaultValue.dump()));
    if (m_key.min || m_key.max)
        m_tip += QLatin1Char('\n') + tr("Range: %1").arg(rangeText(m_key));
    m_editor->setToolTip(m_tip);
    setValue(nullptr);
}

QString KeyField::text() const
{
    if (auto* line = qobject_cast<QLineEdit*>(m_editor))
        return line->text();
    if (auto* combo = qobject_cast<QComboBox*>(m_editor))
        return combo->currentText();
    return {};
}

void KeyField::setText(const QString& text)
{
    if (auto* line = qobject_cast<QLineEdit*>(m_editor))
        line->setText(text);
    else if (auto* combo = qobject_cast<QComboBox*>(m_editor))
        combo->setCurrentText(text);
}

ojson KeyField::value() const
{
    const QString t = text().trimmed();
    switch (m_key.type) {
    case run::KeyType::Bool:
        return static_cast<QCheckBox*>(m_editor)->isChecked();
    case run::KeyType::Choice:
        return t.toStdString();
    case run::KeyType::Integer: {
        bool ok = false;
        const qlonglong n = t.toLongLong(&ok);
        return ok ? ojson(n) : ojson();
    }
    case run::KeyType::Number: {
        bool ok = false;
        const double d = QLocale::c().toDouble(t, &ok);
        return ok && std::isfinite(d) ? ojson(d) : ojson();
    }
    case run::KeyType::TextList: {
        ojson list;
        return parseList(t, list) ? list : ojson();
    }
    case run::KeyType::Map: {
        if (t.isEmpty())
            return ojson::object();
        const ojson map = ojson::parse(t.toStdString(), nullptr, false);
        return map.is_object() ? map : ojson();
    }
    default:
        return t.isEmpty() && m_key.defaultValue.is_null() ? ojson() : ojson(t.toStdString());
    }
}

void KeyField::setValue(const ojson& value)
{
    const ojson& v = value.is_null() ? m_key.defaultValue : value;
    switch (m_key.type) {
    case run::KeyType::Bool:
        static_cast<QCheckBox*>(m_editor)->setChecked(v.is_boolean() && v.get<bool>());
        break;
    case run::KeyType::Choice: {
        auto* combo = static_cast<QComboBox*>(m_editor);
        const int index = v.is_string() ? combo->findText(QString::fromStdString(v.get<std::string>())) : -1;
        combo->setCurrentIndex(std::max(index, 0));
        break;
    }
    case run::KeyType::TextList:
        setText(v.is_array() ? listText(v) : QString());
        break;
    default:
        setText(scalarText(m_key, v));
    }
    showProblem();
}

QString KeyField::problem() const
{
    const QString t = text().trimmed();
    switch (m_key.type) {
    case run::KeyType::Integer:
    case run::KeyType::Number: {
        if (t.isEmpty())
            return m_key.required ? tr("a value is required") : QString();
        const ojson v = value();
        if (v.is_null())
            return m_key.type == run::KeyType::Integer ? tr("'%1' is not a whole number").arg(t)
                                                        : tr("'%1' is not a number").arg(t);
        if (!inRange(m_key, v.get<double>()))
            return tr("%1 is outside %2").arg(t, rangeText(m_key));
        return {};
    }
    case run::KeyType::TextList:
        return value().is_null() ? tr("not a list of values") : QString();
    case run::KeyType::Map:
        return value().is_null() ? tr("not a JSON object") : QString();
    case run::KeyType::Text:
        return m_key.required && t.isEmpty() ? tr("a value is required") : QString();
    default:
        return {};
    }
}

void KeyField::showProblem()
{
    auto* line = qobject_cast<QLineEdit*>(m_editor);
    if (!line)
        return;
    const QString why = problem();
    QPalette palette = this->palette();  // the form's own colours unless the value is flagged
    if (!why.isEmpty())
        palette.setColor(QPalette::Base, QColor(255, 214, 214));
    line->setPalette(palette);
    line->setToolTip(why.isEmpty() ? m_tip : why + QStringLiteral("\n\n") + m_tip);
}

void KeyField::setSuggestions(const QStringList& items)
{
    m_suggestions = items;
    QMenu* menu = m_suggest->menu();
    menu->clear();
    for (const QString& item : items) {
        QAction* action = menu->addAction(item);
        if (m_key.type == run::KeyType::TextList) {
            action->setCheckable(true);
            connect(action, &QAction::triggered, this, [this, item] { toggleListItem(item); });
        } else {
            connect(action, &QAction::triggered, this, [this, item] { setText(item); });
        }
    }
    if (m_key.type == run::KeyType::TextList)
        connect(menu, &QMenu::aboutToShow, this, [this, menu] {
            ojson list;
            parseList(text(), list);
            for (QAction* action : menu->actions())
                action->setChecked(std::find(list.begin(), list.end(), action->text().toStdString()) != list.end());
        });
    m_suggest->setVisible(!items.isEmpty() && qobject_cast<QLineEdit*>(m_editor));
}

void KeyField::toggleListItem(const QString& item)
{
    ojson list;
    if (!parseList(text(), list))
        list = ojson::array();
    const auto it = std::find(list.begin(), list.end(), item.toStdString());
    if (it != list.end())
        list.erase(it);
    else
        list.push_back(item.toStdString());
    setText(listText(list));
}

void KeyField::setBrowse(Browse browse)
{
    m_browseKind = browse;
    m_browse->setVisible(browse != Browse::None && qobject_cast<QLineEdit*>(m_editor));
}

void KeyField::browse()
{
    const QString start = text().trimmed();
    const QString chosen = m_browseKind == Browse::Folder
                               ? QFileDialog::getExistingDirectory(this, QString::fromStdString(m_key.name), start)
                               : QFileDialog::getOpenFileName(this, QString::fromStdString(m_key.name), start);
    if (!chosen.isEmpty())
        setText(chosen);
}

QString KeyField::listText(const ojson& list)
{
    QStringList items;
    bool plain = true;
    for (const auto& item : list) {
        const QString s = item.is_string() ? QString::fromStdString(item.get<std::string>()) : QString::fromStdString(item.dump());
        plain = plain && !s.isEmpty() && !s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"'))
                && s.trimmed() == s && !s.startsWith(QLatin1Char('['));
        items << s;
    }
    if (plain)
        return items.join(QLatin1String(", "));
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(items)).toJson(QJsonDocument::Compact));
}

bool KeyField::parseList(const QString& text, ojson& list)
{
    const QString t = text.trimmed();
    list = ojson::array();
    if (t.startsWith(QLatin1Char('['))) {
        const ojson parsed = ojson::parse(t.toStdString(), nullptr, false);
        if (!parsed.is_array())
            return false;
        for (const auto& item : parsed)
            list.push_back(item.is_string() ? item.get<std::string>() : item.dump());
        return true;
    }
    for (const QString& part : t.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty())
            list.push_back(part.trimmed().toStdString());
    return true;
}

}  // namespace distill::widgets
