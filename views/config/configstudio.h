#pragma once

#include "common/metatypes.h"

#include "llmf/config/config.h"
#include "llmf/config/validation.h"

#include <QString>
#include <QWidget>

#include <vector>

class QScrollArea;
class QTabWidget;

namespace llmf::views {

class BreakdownPanel;
class ConfigDiffView;
class ConfigForm;
class ConfigToolBar;
class ConfigYamlView;
class IssuesPanel;
class MessageBanner;
class ParameterQuiz;

// The Config Studio page: edit a configuration with the schema-driven form, see what it costs (parameters, memory,
// KV cache), its YAML and what changed since its preset or file, with validation as you type. Invalid
// configurations cannot be saved or trained; head-count problems (the guide's 704/10/5 line) can be fixed in one
// click.
class ConfigStudio final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConfigStudio)

public:
    explicit ConfigStudio(QWidget *parent = nullptr);
    ~ConfigStudio() override;

    const llmf::Config &config() const;
    bool isConfigValid() const;
    // `origin` (a preset name or a file path) is shown in the header and is what Reset and the Diff tab compare
    // with. The page has no current file afterwards: Save asks where to write.
    void setConfig(const llmf::Config &config, const QString &origin);
    bool openPreset(const QString &name); // false, with the message shown in the page, when it cannot be loaded
    // Puts `config` in the form as an edit of the current origin (the Diff tab and Reset compare with that origin).
    void editConfig(const llmf::Config &config);
    bool openFile(const QString &path);   // a parse error (file:line) is shown in a banner; the config is unchanged
    bool saveToFile(const QString &path); // atomic, only the keys that differ from the defaults; false when invalid
    QString currentFile() const;
    ParameterQuiz *parameterQuiz() const { return m_quiz; }

Q_SIGNALS:
    void configChanged(const llmf::Config &config, bool valid);
    void trainRequested(const llmf::Config &config);
    // The parameter-count quiz (its own tab) was answered.
    void parameterQuizAnswered(bool correct, qint64 answer, qint64 truth);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void adopt(const llmf::Config &config, const QString &origin, const QString &file);
    void refresh(bool announce = true); // validation, breakdown, YAML, diff, buttons; announce = configChanged
    void updateHeader();
    QString headFix() const;
    void applyHeadFix();
    void focusField(const QString &path);
    bool confirmDiscard();
    void choosePreset(const QString &name);
    void openFileDialog();
    void save();
    void saveAs();
    void reset();
    QString originName() const; // "the defaults" while m_origin is empty

    llmf::Config m_originConfig;
    QString m_origin; // a preset name or a file path; empty for the built-in defaults
    QString m_currentFile;
    std::vector<llmf::ValidationIssue> m_issues;
    int m_changedKeys = 0;

    ConfigToolBar *m_toolBar = nullptr;
    MessageBanner *m_banner = nullptr;
    IssuesPanel *m_issuesPanel = nullptr;
    ConfigForm *m_form = nullptr;
    QScrollArea *m_formScroll = nullptr;
    QTabWidget *m_tabs = nullptr;
    BreakdownPanel *m_breakdown = nullptr;
    ConfigYamlView *m_yaml = nullptr;
    ConfigDiffView *m_diff = nullptr;
    ParameterQuiz *m_quiz = nullptr;
};

} // namespace llmf::views
