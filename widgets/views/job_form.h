// JobForm: the form of a job spec, rendered from the kind's key description (core/run/spec_schema.h):
// a box per group, optional sections as check boxes, keys of a variant shown by its discriminator,
// lists of sections with add/remove, a basic/advanced switch, tooltips from the docs, values that
// cannot be used flagged before start, a YAML tab that round-trips and "copy as CLI command".
// A new key of a kind needs no code here.
#pragma once

#include "widgets/models/job_spec.h"
#include "widgets/views/key_field.h"

#include <nlohmann/json.hpp>

#include <QHash>
#include <QWidget>

#include <map>
#include <memory>

class QCheckBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QVBoxLayout;

namespace distill::widgets {

class JobForm : public QWidget {
    Q_OBJECT
public:
    explicit JobForm(const QString& kind, QWidget* parent = nullptr);
    ~JobForm() override;

    QString kind() const { return m_kind; }
    const run::SpecSchema& schema() const;
    QString name() const;
    void setName(const QString& name);

    // What the spec text holds: the keys whose value differs from the default, the discriminators,
    // and the optional sections switched on.
    nlohmann::ordered_json values() const;
    // Every key that applies, with its value or default (optional sections only when on).
    nlohmann::ordered_json fullValues() const;
    // Shows `values` (keys left out: their defaults; optional sections left out: off).
    void setValues(const nlohmann::ordered_json& values);
    // One key by its path ("train.lr", "rewards[1].weight", "lora"): a section takes an object (or a
    // bool to switch an optional one), a list an array; optional sections on the way are switched on.
    // False for a path the form does not have.
    bool setValue(const QString& path, const nlohmann::ordered_json& value);
    // The value at `path` in fullValues(); null when absent.
    nlohmann::ordered_json value(const QString& path) const;
    bool setSectionEnabled(const QString& path, bool enabled);
    bool sectionEnabled(const QString& path) const;
    // Appends an item with its defaults to the list at `path` and returns its index (-1: no such list).
    int addItem(const QString& listPath);
    int itemCount(const QString& listPath) const;

    QString yaml() const;
    // Reads a spec text into the form; false (and the reason) when it does not read.
    bool setYaml(const QString& text, QString* error = nullptr);
    // "path: why" for every shown value that cannot be used.
    QStringList problems() const;
    // The fields' problems, else the parser's verdict on the spec text (cross-key rules included).
    SpecCheck check() const;

    // Values offered beside the fields of `keyPath` (as schema().allKeys() names it, list items as
    // "data.datasets[].name"), and a browse button for paths.
    void setSuggestions(const QString& keyPath, const QStringList& items);
    void setBrowse(const QString& keyPath, KeyField::Browse browse);

    // For the command line: the workspace and the GPUs of a data-parallel launch.
    void setWorkspacePath(const QString& path);
    void setGpus(const QList<int>& gpus);
    QString cliCommand() const;

    // The field of a key by its path (the variant the discriminator shows when two keys share it).
    KeyField* field(const QString& path) const;
    // Every field made for `key` (one per list item for the keys of a list).
    QList<KeyField*> fields(const run::KeyDoc* key) const;
    // The check box of an optional section, the box of a list.
    QGroupBox* sectionBox(const QString& path) const;
    bool advancedShown() const;
    void setAdvancedShown(bool shown);
    QTabWidget* tabs() const { return m_tabs; }

signals:
    void changed();
    void cliCommandCopied();

private:
    struct Node;
    Node* find(const QString& path) const;
    void build(Node* parent, const std::vector<run::KeyDoc>& keys, QFormLayout* form, const QString& base);
    Node* addItemNode(Node* list);
    void removeItem(Node* list, int index);
    void apply(Node* section, const nlohmann::ordered_json& values);
    void applyList(Node* list, const nlohmann::ordered_json& items);
    nlohmann::ordered_json collect(const Node* section, bool full) const;
    void collectProblems(const Node* section, QStringList& out) const;
    QString variant(const Node* section) const;
    void updateVisibility();
    void updateVisibility(Node* node, bool parentShown);
    QFormLayout* groupForm(const std::string& group);
    void onChanged();
    void syncYaml();
    void applyYamlText();

    QString m_kind;
    std::unique_ptr<Node> m_root;
    std::multimap<const run::KeyDoc*, Node*> m_byKey;
    QHash<QString, QStringList> m_suggestions;
    QHash<QString, KeyField::Browse> m_browse;
    std::vector<std::pair<QGroupBox*, QFormLayout*>> m_groups;
    QHash<QString, int> m_groupIndex;
    QString m_workspacePath;
    QList<int> m_gpus;
    bool m_building = false;

    QLineEdit* m_name;
    QCheckBox* m_advanced;
    QTabWidget* m_tabs;
    QVBoxLayout* m_groupsLayout;
    QPlainTextEdit* m_yaml;
    QLabel* m_yamlError;
    QLabel* m_problems;
    QString m_yamlShown;  // the text the YAML tab was filled with
};

}  // namespace distill::widgets
