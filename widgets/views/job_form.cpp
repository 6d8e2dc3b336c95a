// JobForm implementation: a tree of nodes mirroring the kind's keys (leaves hold a KeyField, optional
// sections and lists a box, list items a box of their own), built once from the description.
#include "widgets/views/job_form.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCoreApplication>
#include <QFont>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace distill::widgets {

using ojson = nlohmann::ordered_json;

namespace {

// The groups of the kinds' descriptions, for translation (a group not listed shows as described).
[[maybe_unused]] const char* const kGroupNames[] = {
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "General"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Samples"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Filters"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Dedup and decontamination"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Rejection and selection"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Model"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Protocol"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Problems"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Prompt"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Teacher"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Verification"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "LoRA"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Rollouts"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Rewards"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Objective"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Training"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Optimizer"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Checkpoints"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Benchmarks"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Data"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Distillation"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Early stopping"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Judge"),
    QT_TRANSLATE_NOOP("distill::widgets::JobForm", "Stages"),
};

bool applies(const run::KeyDoc& key, const QString& variant)
{
    return key.when.empty() || std::find(key.when.begin(), key.when.end(), variant.toStdString()) != key.when.end();
}

// "rewards[1].weight" -> "rewards[].weight", the path as the description names it.
QString schemaPath(const QString& path)
{
    static const QRegularExpression index(QStringLiteral("\\[\\d+\\]"));
    return QString(path).replace(index, QStringLiteral("[]"));
}

// "rewards[1].weight" -> {("rewards", 1), ("weight", -1)}.
QList<QPair<QString, int>> pathSegments(const QString& path)
{
    QList<QPair<QString, int>> out;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const int open = part.indexOf(QLatin1Char('['));
        if (open < 0)
            out.append({part, -1});
        else
            out.append({part.left(open), part.mid(open + 1, part.size() - open - 2).toInt()});
    }
    return out;
}

QString sectionTitle(const run::KeyDoc& key)
{
    const QString name = QString::fromStdString(key.name);
    return key.doc.empty() ? name : QStringLiteral("%1 — %2").arg(name, QString::fromStdString(key.doc));
}

}  // namespace

struct JobForm::Node {
    enum Kind { Root, Leaf, Section, List, Item };
    Kind kind = Root;
    const run::KeyDoc* key = nullptr;  // Item: the list's key
    QString path;                      // "rewards[0].weight"; an item: "rewards[0]"
    Node* parent = nullptr;
    KeyField* field = nullptr;         // Leaf
    QGroupBox* box = nullptr;          // optional Section, List, Item
    QFormLayout* form = nullptr;       // the layout that holds this node's row
    QVBoxLayout* items = nullptr;      // List
    std::vector<std::unique_ptr<Node>> children;

    QWidget* rowWidget() const { return field ? static_cast<QWidget*>(field) : box; }
    const std::string& name() const { return key->name; }
};

JobForm::JobForm(const QString& kind, QWidget* parent) : QWidget(parent), m_kind(kind), m_root(std::make_unique<Node>())
{
    m_name = new QLineEdit(kind, this);
    m_name->setObjectName(QStringLiteral("jobName"));
    m_name->setToolTip(tr("The run's name in the run lists"));
    m_advanced = new QCheckBox(tr("Advanced keys"), this);
    m_advanced->setObjectName(QStringLiteral("advancedKeys"));
    m_advanced->setToolTip(tr("Also show the keys most jobs leave at their defaults."));
    auto* copy = new QToolButton(this);
    copy->setText(tr("Copy as CLI command"));
    copy->setObjectName(QStringLiteral("copyCli"));
    copy->setToolTip(tr("Copies shell lines that write this spec and run it with distillery-cli."));
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Name"), this));
    top->addWidget(m_name, 1);
    top->addWidget(m_advanced);
    top->addWidget(copy);

    auto* formPage = new QWidget(this);
    m_groupsLayout = new QVBoxLayout(formPage);
    m_groupsLayout->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(formPage);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* yamlPage = new QWidget(this);
    auto* yamlLayout = new QVBoxLayout(yamlPage);
    yamlLayout->setContentsMargins(0, 0, 0, 0);
    m_yaml = new QPlainTextEdit(yamlPage);
    m_yaml->setObjectName(QStringLiteral("yaml"));
    m_yaml->setFont(QFont(QStringLiteral("monospace")));
    m_yaml->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_yamlError = new QLabel(yamlPage);
    m_yamlError->setWordWrap(true);
    m_yamlError->setStyleSheet(QStringLiteral("color: #b00000"));
    auto* applyYaml = new QPushButton(tr("Apply to the form"), yamlPage);
    yamlLayout->addWidget(m_yaml, 1);
    yamlLayout->addWidget(m_yamlError);
    yamlLayout->addWidget(applyYaml, 0, Qt::AlignLeft);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(scroll, tr("Form"));
    m_tabs->addTab(yamlPage, tr("YAML"));
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("formProblems"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color: #b00000"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_problems);

    m_building = true;
    build(m_root.get(), schema().keys(), nullptr, {});
    apply(m_root.get(), ojson::object());
    m_groupsLayout->addStretch(1);
    m_building = false;
    updateVisibility();
    formPage->setMinimumWidth(formPage->sizeHint().width());

    connect(m_advanced, &QCheckBox::toggled, this, [this] { updateVisibility(); });
    connect(m_name, &QLineEdit::textChanged, this, &JobForm::onChanged);
    connect(copy, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(cliCommand());
        emit cliCommandCopied();
    });
    connect(applyYaml, &QPushButton::clicked, this, &JobForm::applyYamlText);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == 1)
            syncYaml();
        else if (m_yaml->toPlainText() != m_yamlShown)
            applyYamlText();
    });
}

JobForm::~JobForm() = default;

const run::SpecSchema& JobForm::schema() const
{
    return jobSchema(m_kind);
}

QString JobForm::name() const
{
    const QString name = m_name->text().trimmed();
    return name.isEmpty() ? m_kind : name;
}

void JobForm::setName(const QString& name)
{
    m_name->setText(name);
}

QFormLayout* JobForm::groupForm(const std::string& group)
{
    const QString name = QString::fromStdString(group);
    if (const auto it = m_groupIndex.constFind(name); it != m_groupIndex.constEnd())
        return m_groups[std::size_t(*it)].second;
    auto* box = new QGroupBox(QCoreApplication::translate("distill::widgets::JobForm", group.c_str()), this);
    box->setObjectName(QStringLiteral("group:") + name);
    auto* form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_groupsLayout->addWidget(box);
    m_groupIndex.insert(name, int(m_groups.size()));
    m_groups.emplace_back(box, form);
    return form;
}

void JobForm::build(Node* parent, const std::vector<run::KeyDoc>& keys, QFormLayout* form, const QString& base)
{
    for (const run::KeyDoc& key : keys) {
        auto node = std::make_unique<Node>();
        Node* n = node.get();
        n->key = &key;
        n->parent = parent;
        const QString name = QString::fromStdString(key.name);
        n->path = parent->path.isEmpty() ? name : parent->path + QLatin1Char('.') + name;
        QFormLayout* target = form ? form : groupForm(key.group);
        n->form = target;
        // Labels: the path below the box the row sits in; at the top, below its first section.
        QString label = base.isEmpty() ? n->path.section(QLatin1Char('.'), n->path.contains(QLatin1Char('.')) ? 1 : 0)
                                       : n->path.mid(base.size() + 1);
        switch (key.type) {
        case run::KeyType::Section:
            n->kind = Node::Section;
            if (key.optionalSection) {
                n->box = new QGroupBox(sectionTitle(key), this);
                n->box->setObjectName(QStringLiteral("section:") + n->path);
                n->box->setCheckable(true);
                n->box->setChecked(false);
                connect(n->box, &QGroupBox::toggled, this, &JobForm::onChanged);
                auto* inner = new QFormLayout(n->box);
                inner->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
                target->addRow(n->box);
                build(n, key.children, inner, n->path);
            } else {
                build(n, key.children, form, base);
            }
            break;
        case run::KeyType::SectionList: {
            n->kind = Node::List;
            n->box = new QGroupBox(sectionTitle(key), this);
            n->box->setObjectName(QStringLiteral("list:") + n->path);
            auto* listLayout = new QVBoxLayout(n->box);
            n->items = new QVBoxLayout;
            listLayout->addLayout(n->items);
            auto* add = new QPushButton(tr("Add %1").arg(name), n->box);
            add->setObjectName(QStringLiteral("add:") + n->path);
            listLayout->addWidget(add, 0, Qt::AlignLeft);
            connect(add, &QPushButton::clicked, this, [this, n] {
                addItemNode(n);
                updateVisibility();
                onChanged();
            });
            target->addRow(n->box);
            break;
        }
        default: {
            n->kind = Node::Leaf;
            n->field = new KeyField(key, this);
            n->field->setObjectName(QStringLiteral("key:") + n->path);
            const QString sp = schemaPath(n->path);
            if (m_suggestions.contains(sp))
                n->field->setSuggestions(m_suggestions.value(sp));
            if (m_browse.contains(sp))
                n->field->setBrowse(m_browse.value(sp));
            auto* labelWidget = new QLabel(label, this);
            labelWidget->setToolTip(QString::fromStdString(key.doc));
            target->addRow(labelWidget, n->field);
            const bool discriminator = parent->key && [&] {
                const run::KeyDoc* owner = parent->key;
                return !owner->discriminator.empty() && owner->discriminator == key.name;
            }();
            connect(n->field, &KeyField::changed, this, [this, discriminator] {
                if (discriminator)
                    updateVisibility();
                onChanged();
            });
        }
        }
        m_byKey.emplace(&key, n);
        parent->children.push_back(std::move(node));
    }
}

JobForm::Node* JobForm::addItemNode(Node* list)
{
    const int index = int(list->children.size());
    auto item = std::make_unique<Node>();
    Node* it = item.get();
    it->kind = Node::Item;
    it->key = list->key;
    it->parent = list;
    it->path = QStringLiteral("%1[%2]").arg(list->path).arg(index);
    it->box = new QGroupBox(QStringLiteral("%1 %2").arg(QString::fromStdString(list->key->name)).arg(index + 1), list->box);
    it->box->setObjectName(QStringLiteral("item:") + it->path);
    auto* inner = new QFormLayout(it->box);
    inner->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto* remove = new QPushButton(tr("Remove"), it->box);
    remove->setObjectName(QStringLiteral("remove:") + it->path);
    connect(remove, &QPushButton::clicked, this, [this, list, it] {
        const auto pos = std::find_if(list->children.begin(), list->children.end(), [it](const auto& c) { return c.get() == it; });
        if (pos != list->children.end())
            removeItem(list, int(pos - list->children.begin()));
    });
    list->items->addWidget(it->box);
    list->children.push_back(std::move(item));
    const bool building = m_building;
    m_building = true;
    build(it, list->key->children, inner, it->path);
    inner->addRow(remove);
    ojson defaults = ojson::object();
    apply(it, defaults);
    m_building = building;
    return it;
}

void JobForm::removeItem(Node* list, int index)
{
    ojson items = ojson::array();
    for (int i = 0; i < int(list->children.size()); ++i)
        if (i != index)
            items.push_back(collect(list->children[std::size_t(i)].get(), true));
    applyList(list, items);
    updateVisibility();
    onChanged();
}

void JobForm::applyList(Node* list, const ojson& items)
{
    for (auto& item : list->children) {
        for (auto it = m_byKey.begin(); it != m_byKey.end();) {
            Node* owner = it->second;
            while (owner && owner != item.get())
                owner = owner->parent;
            it = owner ? m_byKey.erase(it) : std::next(it);
        }
        item->box->hide();
        item->box->deleteLater();
    }
    list->children.clear();
    if (items.is_array())
        for (const auto& values : items)
            apply(addItemNode(list), values);
}

QString JobForm::variant(const Node* section) const
{
    if (!section->key || section->key->discriminator.empty())
        return {};
    for (const auto& child : section->children)
        if (child->kind == Node::Leaf && child->name() == section->key->discriminator) {
            const ojson v = child->field->value();
            return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString();
        }
    return {};
}

void JobForm::apply(Node* section, const ojson& values)
{
    const bool building = m_building;
    m_building = true;
    const ojson empty = ojson::object();
    const auto valueOf = [&](const std::string& name) -> const ojson& {
        return values.is_object() && values.contains(name) ? values.at(name) : empty;
    };
    // The discriminator first, so that the variant's keys are the ones read.
    if (section->key && !section->key->discriminator.empty())
        for (auto& child : section->children)
            if (child->kind == Node::Leaf && child->name() == section->key->discriminator)
                child->field->setValue(values.is_object() && values.contains(child->name()) ? values.at(child->name()) : ojson());
    for (auto& child : section->children) {
        const bool given = values.is_object() && values.contains(child->name()) && !values.at(child->name()).is_null();
        switch (child->kind) {
        case Node::Leaf:
            child->field->setValue(given ? values.at(child->name()) : ojson());
            break;
        case Node::Section:
            if (child->box)
                child->box->setChecked(given);
            apply(child.get(), valueOf(child->name()));
            break;
        case Node::List:
            applyList(child.get(), given ? values.at(child->name()) : child->key->defaultValue);
            break;
        default:
            break;
        }
    }
    m_building = building;
}

ojson JobForm::collect(const Node* section, bool full) const
{
    ojson out = ojson::object();
    const QString v = variant(section);
    for (const auto& child : section->children) {
        if (!applies(*child->key, v))
            continue;
        const std::string& name = child->name();
        switch (child->kind) {
        case Node::Leaf: {
            const ojson value = child->field->value();
            const bool keep = child->key->required || (section->key && section->key->discriminator == name);
            if (full)
                out[name] = value.is_null() ? child->key->defaultValue : value;
            else if (!value.is_null() && (keep || value != child->key->defaultValue))
                out[name] = value;
            break;
        }
        case Node::Section: {
            if (child->box && !child->box->isChecked())
                break;
            ojson sub = collect(child.get(), full);
            if (full || child->box || child->key->required || !sub.empty())
                out[name] = std::move(sub);
            break;
        }
        case Node::List: {
            ojson items = ojson::array(), minimal = ojson::array();
            for (const auto& item : child->children) {
                items.push_back(collect(item.get(), true));
                minimal.push_back(collect(item.get(), false));
            }
            const ojson defaults = child->key->defaultValue.is_null() ? ojson::array() : child->key->defaultValue;
            if (full)
                out[name] = std::move(items);
            else if (items != defaults)
                out[name] = std::move(minimal);
            break;
        }
        default:
            break;
        }
    }
    return out;
}

ojson JobForm::values() const
{
    return collect(m_root.get(), false);
}

ojson JobForm::fullValues() const
{
    return collect(m_root.get(), true);
}

void JobForm::setValues(const ojson& values)
{
    apply(m_root.get(), values);
    updateVisibility();
    onChanged();
}

JobForm::Node* JobForm::find(const QString& path) const
{
    Node* node = m_root.get();
    for (const auto& [name, index] : pathSegments(path)) {
        const std::string key = name.toStdString();
        Node* next = nullptr;
        const QString v = variant(node);
        for (const auto& child : node->children)
            if (child->key->name == key && (!next || applies(*child->key, v)))
                next = child.get();
        if (!next)
            return nullptr;
        if (index >= 0) {
            if (next->kind != Node::List || index >= int(next->children.size()))
                return nullptr;
            next = next->children[std::size_t(index)].get();
        }
        node = next;
    }
    return node == m_root.get() ? nullptr : node;
}

bool JobForm::setValue(const QString& path, const ojson& value)
{
    // Items up to the index, and optional sections on the way, come first.
    Node* node = m_root.get();
    for (const auto& [name, index] : pathSegments(path)) {
        Node* next = nullptr;
        const QString v = variant(node);
        for (const auto& child : node->children)
            if (child->key->name == name.toStdString() && (!next || applies(*child->key, v)))
                next = child.get();
        if (!next)
            return false;
        if (next->kind == Node::Section && next->box && next != find(path))
            next->box->setChecked(true);
        if (index >= 0) {
            if (next->kind != Node::List)
                return false;
            while (int(next->children.size()) <= index)
                addItemNode(next);
            next = next->children[std::size_t(index)].get();
        }
        node = next;
    }
    switch (node->kind) {
    case Node::Leaf:
        node->field->setValue(value);
        break;
    case Node::Section:
    case Node::Item:
        if (node->box && node->kind == Node::Section)
            node->box->setChecked(!value.is_boolean() || value.get<bool>());
        if (value.is_object())
            apply(node, value);
        break;
    case Node::List:
        applyList(node, value);
        break;
    default:
        return false;
    }
    updateVisibility();
    onChanged();
    return true;
}

ojson JobForm::value(const QString& path) const
{
    const ojson all = fullValues();
    const ojson* v = &all;
    for (const auto& [name, index] : pathSegments(path)) {
        if (!v->is_object() || !v->contains(name.toStdString()))
            return nullptr;
        v = &v->at(name.toStdString());
        if (index >= 0) {
            if (!v->is_array() || index >= int(v->size()))
                return nullptr;
            v = &v->at(std::size_t(index));
        }
    }
    return *v;
}

bool JobForm::setSectionEnabled(const QString& path, bool enabled)
{
    Node* node = find(path);
    if (!node || !node->box || node->kind != Node::Section)
        return false;
    node->box->setChecked(enabled);
    return true;
}

bool JobForm::sectionEnabled(const QString& path) const
{
    const Node* node = find(path);
    return node && node->box && node->kind == Node::Section && node->box->isChecked();
}

int JobForm::addItem(const QString& listPath)
{
    Node* list = find(listPath);
    if (!list || list->kind != Node::List)
        return -1;
    addItemNode(list);
    updateVisibility();
    onChanged();
    return int(list->children.size()) - 1;
}

int JobForm::itemCount(const QString& listPath) const
{
    const Node* list = find(listPath);
    return list && list->kind == Node::List ? int(list->children.size()) : -1;
}

QString JobForm::yaml() const
{
    return jobSpecYaml(m_kind, name(), values());
}

bool JobForm::setYaml(const QString& text, QString* error)
{
    const SpecValues read = readJobSpec(m_kind, text);
    if (!read.error.isEmpty()) {
        if (error)
            *error = read.error;
        return false;
    }
    m_name->setText(read.name);
    setValues(read.values);
    return true;
}

void JobForm::collectProblems(const Node* section, QStringList& out) const
{
    const QString v = variant(section);
    for (const auto& child : section->children) {
        if (!applies(*child->key, v) || (child->box && child->kind == Node::Section && !child->box->isChecked()))
            continue;
        if (child->kind == Node::Leaf) {
            const QString why = child->field->problem();
            if (!why.isEmpty())
                out << QStringLiteral("%1: %2").arg(child->path, why);
        } else {
            collectProblems(child.get(), out);
        }
    }
}

QStringList JobForm::problems() const
{
    QStringList out;
    collectProblems(m_root.get(), out);
    return out;
}

SpecCheck JobForm::check() const
{
    const QStringList fieldProblems = problems();
    if (!fieldProblems.isEmpty())
        return {QString(), fieldProblems.join(QLatin1Char('\n'))};
    return checkJobSpec(yaml());
}

void JobForm::setSuggestions(const QString& keyPath, const QStringList& items)
{
    m_suggestions.insert(keyPath, items);
    for (const auto& [key, node] : m_byKey)
        if (node->field && schemaPath(node->path) == keyPath)
            node->field->setSuggestions(items);
}

void JobForm::setBrowse(const QString& keyPath, KeyField::Browse browse)
{
    m_browse.insert(keyPath, browse);
    for (const auto& [key, node] : m_byKey)
        if (node->field && schemaPath(node->path) == keyPath)
            node->field->setBrowse(browse);
}

void JobForm::setWorkspacePath(const QString& path)
{
    m_workspacePath = path;
}

void JobForm::setGpus(const QList<int>& gpus)
{
    m_gpus = gpus;
}

QString JobForm::cliCommand() const
{
    const QString file = name().replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"))
                         + QStringLiteral(".yaml");
    return widgets::cliCommand(yaml(), file, m_workspacePath, m_gpus);
}

KeyField* JobForm::field(const QString& path) const
{
    const Node* node = find(path);
    return node ? node->field : nullptr;
}

QList<KeyField*> JobForm::fields(const run::KeyDoc* key) const
{
    QList<KeyField*> out;
    const auto [first, last] = m_byKey.equal_range(key);
    for (auto it = first; it != last; ++it)
        if (it->second->field)
            out << it->second->field;
    return out;
}

QGroupBox* JobForm::sectionBox(const QString& path) const
{
    const Node* node = find(path);
    return node ? node->box : nullptr;
}

bool JobForm::advancedShown() const
{
    return m_advanced->isChecked();
}

void JobForm::setAdvancedShown(bool shown)
{
    m_advanced->setChecked(shown);
}

void JobForm::updateVisibility()
{
    updateVisibility(m_root.get(), true);
    for (const auto& [box, form] : m_groups) {
        bool any = false;
        for (int row = 0; row < form->rowCount() && !any; ++row)
            any = form->isRowVisible(row);
        box->setVisible(any);
    }
}

void JobForm::updateVisibility(Node* node, bool parentShown)
{
    const QString v = variant(node);
    for (auto& child : node->children) {
        const bool shown = parentShown && (child->kind == Node::Item || applies(*child->key, v))
                           && (!child->key->advanced || advancedShown());
        if (QWidget* row = child->rowWidget(); row && child->kind != Node::Item)
            child->form->setRowVisible(row, shown);
        updateVisibility(child.get(), shown);
    }
}

void JobForm::onChanged()
{
    if (m_building)
        return;
    const QStringList list = problems();
    m_problems->setText(list.isEmpty() ? QString() : tr("Cannot start: %1").arg(list.join(QLatin1String("; "))));
    if (m_tabs->currentIndex() == 1)
        syncYaml();
    emit changed();
}

void JobForm::syncYaml()
{
    m_yamlShown = yaml();
    m_yaml->setPlainText(m_yamlShown);
    m_yamlError->clear();
}

void JobForm::applyYamlText()
{
    QString error;
    const QString text = m_yaml->toPlainText();
    if (!setYaml(text, &error)) {
        const QSignalBlocker block(m_tabs);  // back to the text as typed, with the reason
        m_tabs->setCurrentIndex(1);
        m_yamlError->setText(error);
        return;
    }
    m_yamlShown = text;
    m_yamlError->clear();
}

}  // namespace distill::widgets
