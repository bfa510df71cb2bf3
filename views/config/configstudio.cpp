#include "config/configstudio.h"

#include "config/breakdownpanel.h"
#include "config/configdiffview.h"
#include "config/configform.h"
#include "config/configtoolbar.h"
#include "config/configyamlview.h"
#include "config/issuespanel.h"
#include "common/messagebanner.h"
#include "config/parameterquiz.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/datapath.h"
#include "llmf/config/presets.h"

#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QScrollArea>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QVBoxLayout>

namespace llmf::views {

namespace {

constexpr int kBreakdownTab = 0;
constexpr int kYamlTab = 1;
constexpr int kDiffTab = 2;
constexpr int kQuizTab = 3;

QString errorText(const std::exception &e)
{
    if (const auto *error = dynamic_cast<const llmf::Error *>(&e))
        return QString::fromStdString(error->fullMessage());
    return QString::fromUtf8(e.what());
}

// validate() suggests head counts by trying every width up to dim, which is O(dim): a dim typed as 10^12 would
// freeze the page for minutes on one keystroke. Widths beyond this are far outside anything trainable here.
constexpr int64_t kLargestCheckedDim = int64_t(1) << 22;

std::vector<ValidationIssue> validateResponsively(const Config &config)
{
    if (config.model.dim <= kLargestCheckedDim)
        return validate(config);
    // Check everything else against a stand-in width that any head count divides, then say what is wrong with dim.
    Config standIn = config;
    standIn.model.dim = 64 * std::clamp<int64_t>(config.model.n_heads, 1, 1024);
    std::vector<ValidationIssue> issues = validate(standIn);
    issues.insert(issues.begin(), {"model.dim",
                                   ConfigStudio::tr("dim (%1) is too large to check here: the Config Studio handles "
                                                    "widths up to %2.")
                                       .arg(config.model.dim)
                                       .arg(kLargestCheckedDim)
                                       .toStdString(),
                                   {}});
    return issues;
}

// Head-count problems are the ones the page can repair itself (nearestValidHeads).
bool isHeadIssue(const ValidationIssue &issue)
{
    return issue.field == "model.n_heads" || issue.field == "model.n_kv_heads";
}

} // namespace

ConfigStudio::ConfigStudio(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_toolBar = new ConfigToolBar(this);
    m_toolBar->setObjectName(QStringLiteral("configToolBar"));
    connect(m_toolBar, &ConfigToolBar::presetChosen, this, &ConfigStudio::choosePreset);
    connect(m_toolBar, &ConfigToolBar::openRequested, this, &ConfigStudio::openFileDialog);
    connect(m_toolBar, &ConfigToolBar::saveRequested, this, &ConfigStudio::save);
    connect(m_toolBar, &ConfigToolBar::saveAsRequested, this, &ConfigStudio::saveAs);
    connect(m_toolBar, &ConfigToolBar::resetRequested, this, &ConfigStudio::reset);
    connect(m_toolBar, &ConfigToolBar::trainRequested, this, [this] {
        if (isConfigValid())
            Q_EMIT trainRequested(config());
    });
    layout->addWidget(m_toolBar);
    m_banner = new MessageBanner(this);
    layout->addWidget(m_banner);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    m_issuesPanel = new IssuesPanel(left);
    connect(m_issuesPanel, &IssuesPanel::fieldActivated, this, &ConfigStudio::focusField);
    connect(m_issuesPanel, &IssuesPanel::applyFixRequested, this, &ConfigStudio::applyHeadFix);
    leftLayout->addWidget(m_issuesPanel);
    m_formScroll = new QScrollArea(left);
    m_formScroll->setObjectName(QStringLiteral("formScrollArea"));
    m_formScroll->setWidgetResizable(true);
    m_formScroll->setFrameShape(QFrame::NoFrame);
    m_form = new ConfigForm(m_formScroll);
    m_form->setObjectName(QStringLiteral("configForm"));
    m_formScroll->setWidget(m_form);
    leftLayout->addWidget(m_formScroll, 1);
    connect(m_form, &ConfigForm::edited, this, [this] { refresh(); });

    m_tabs = new QTabWidget(splitter);
    m_tabs->setObjectName(QStringLiteral("studioTabs"));
    m_breakdown = new BreakdownPanel(m_tabs);
    m_breakdown->setObjectName(QStringLiteral("breakdownPanel"));
    m_tabs->addTab(m_breakdown, QString());
    m_yaml = new ConfigYamlView(m_tabs);
    m_yaml->setObjectName(QStringLiteral("yamlPanel"));
    m_tabs->addTab(m_yaml, QString());
    m_diff = new ConfigDiffView(m_tabs);
    m_diff->setObjectName(QStringLiteral("diffView"));
    m_tabs->addTab(m_diff, QString());
    m_quiz = new ParameterQuiz(m_tabs);
    m_tabs->addTab(m_quiz, QString());
    connect(m_quiz, &ParameterQuiz::answered, this, &ConfigStudio::parameterQuizAnswered);
    splitter->addWidget(left);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    layout->addWidget(splitter, 1);

    // The form starts on the defaults, which are also the origin (m_origin empty): nothing to adopt.
    retranslate();
}

ConfigStudio::~ConfigStudio() = default;

void ConfigStudio::retranslate()
{
    m_tabs->setTabText(kBreakdownTab, tr("Breakdown"));
    m_tabs->setTabText(kYamlTab, tr("YAML"));
    m_tabs->setTabText(kQuizTab, tr("Quiz"));
    // The Diff tab, the header and the issues are worded from the current state; the config itself is unchanged.
    refresh(/*announce=*/false);
}

void ConfigStudio::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

const Config &ConfigStudio::config() const
{
    return m_form->config();
}

bool ConfigStudio::isConfigValid() const
{
    return m_issues.empty();
}

QString ConfigStudio::currentFile() const
{
    return m_currentFile;
}

void ConfigStudio::setConfig(const Config &config, const QString &origin)
{
    adopt(config, origin, QString());
}

void ConfigStudio::editConfig(const Config &config)
{
    m_form->setConfig(config);
    refresh();
}

bool ConfigStudio::openPreset(const QString &name)
{
    try {
        const Config loaded = loadPreset(name.toStdString());
        adopt(loaded, name, QString());
        return true;
    } catch (const std::exception &e) {
        m_banner->showMessage(MessageBanner::Kind::Error, [name, error = errorText(e)] {
            return tr("Could not open the preset '%1'; the configuration is unchanged.\n%2").arg(name, error);
        });
        updateHeader(); // puts the combo back on what is really loaded
        return false;
    }
}

bool ConfigStudio::openFile(const QString &path)
{
    try {
        Config loaded = loadConfig(path.toStdString());
        // A config file may come from someone else: its training text is read only from its own folder
        // (llmf/config/datapath.h). A path out of it is dropped, and the banner says which and why.
        const ConfigDataPath data = resolveConfigDataPath(loaded, path.toStdString());
        const QString refused = data.confined ? QString() : QString::fromStdString(loaded.data.file_path);
        loaded.data.file_path = data.confined ? data.resolved : std::string();
        adopt(loaded, path, path);
        if (!refused.isEmpty())
            m_banner->showMessage(MessageBanner::Kind::Error, [file = QFileInfo(path).fileName(), refused] {
                return tr("%1 names training text outside its own folder (data.file_path: %2). It was not used: a "
                          "config from someone else could name any file of yours. If you mean that file, choose it "
                          "yourself with Browse… beside the data file.")
                    .arg(file, QDir::toNativeSeparators(refused));
            });
        return true;
    } catch (const std::exception &e) {
        m_banner->showMessage(MessageBanner::Kind::Error, [file = QFileInfo(path).fileName(), error = errorText(e)] {
            return tr("Could not open %1; the configuration is unchanged.\n%2").arg(file, error);
        });
        return false;
    }
}

bool ConfigStudio::saveToFile(const QString &path)
{
    if (!isConfigValid()) {
        m_banner->showMessage(MessageBanner::Kind::Error, [count = static_cast<int>(m_issues.size())] {
            return tr("Not saved: the configuration has %n problem(s); fix them first.", nullptr, count);
        });
        return false;
    }
    try {
        // Text beside the config is written relative to it, so the two can move (or be shared) together and the
        // config opens again with it (openFile only reads text from the config's own folder).
        Config toSave = config();
        const QString text = QString::fromStdString(toSave.data.file_path);
        const QString relative = QFileInfo(path).absoluteDir().relativeFilePath(text);
        if (!text.isEmpty() && QFileInfo(text).isAbsolute() && !relative.startsWith(QStringLiteral("..")))
            toSave.data.file_path = relative.toStdString();
        saveConfig(toSave, path.toStdString(), /*full=*/false);
    } catch (const std::exception &e) {
        m_banner->showMessage(MessageBanner::Kind::Error, [path, error = errorText(e)] {
            return tr("Could not save %1.\n%2").arg(QDir::toNativeSeparators(path), error);
        });
        return false;
    }
    // The saved file is now what Reset and the Diff tab compare with, as in any document editor.
    m_originConfig = config();
    m_origin = path;
    m_currentFile = path;
    refresh(/*announce=*/false);
    m_banner->showMessage(MessageBanner::Kind::Info, [path] {
        return tr("Saved %1 (only the keys that differ from the defaults).").arg(QDir::toNativeSeparators(path));
    });
    return true;
}

void ConfigStudio::adopt(const Config &config, const QString &origin, const QString &file)
{
    m_originConfig = config;
    m_origin = origin;
    m_currentFile = file;
    m_form->setConfig(config);
    if (m_banner->isVisible() && m_banner->kind() == MessageBanner::Kind::Error)
        m_banner->hide(); // the problem it described is gone with the config it was about
    refresh();
}

void ConfigStudio::refresh(bool announce)
{
    const Config &current = config();
    const std::vector<ValidationIssue> problems = validateResponsively(current);
    m_issues = m_form->inputIssues();
    m_issues.insert(m_issues.end(), problems.begin(), problems.end());
    m_form->setIssues(problems);
    const QString fix = headFix();
    std::vector<ValidationIssue> listed = m_issues;
    for (auto &issue : listed)
        if (!fix.isEmpty() && isHeadIssue(issue))
            issue.fix.clear(); // the "Apply fix" row below the list says it, with the exact numbers
    m_issuesPanel->setIssues(listed, fix);
    const bool valid = m_issues.empty();

    m_breakdown->setConfig(current, valid);
    m_quiz->setConfig(current, valid);
    m_yaml->setConfig(current);
    m_changedKeys = m_diff->compare(m_originConfig, current, originName());
    m_tabs->setTabText(kDiffTab, m_changedKeys > 0 ? tr("Diff (%1)").arg(m_changedKeys) : tr("Diff"));

    m_toolBar->setState(valid, m_changedKeys > 0 || !m_form->inputIssues().empty());
    updateHeader();
    if (announce)
        Q_EMIT configChanged(current, valid);
}

QString ConfigStudio::originName() const
{
    if (m_origin.isEmpty())
        return tr("the defaults");
    return QFileInfo::exists(m_origin) ? QFileInfo(m_origin).fileName() : m_origin;
}

void ConfigStudio::updateHeader()
{
    const bool isPreset = m_toolBar->selectPreset(m_currentFile.isEmpty() ? m_origin : QString());
    QString text;
    if (!m_currentFile.isEmpty())
        text = tr("File <b>%1</b>").arg(QFileInfo(m_currentFile).fileName().toHtmlEscaped());
    else if (isPreset)
        text = tr("Preset <b>%1</b>").arg(m_origin.toHtmlEscaped());
    else
        text = tr("From <b>%1</b>").arg(originName().toHtmlEscaped());
    if (m_changedKeys > 0)
        text += QStringLiteral(" · ") + tr("%n change(s)", nullptr, m_changedKeys);
    m_toolBar->setOrigin(text, m_origin.isEmpty() ? originName() : QDir::toNativeSeparators(m_origin));
}

QString ConfigStudio::headFix() const
{
    const ModelConfig &m = config().model;
    const bool headIssue = std::any_of(m_issues.begin(), m_issues.end(), isHeadIssue);
    if (!headIssue || m.dim <= 0 || m.dim > kLargestCheckedDim)
        return {};
    const HeadSuggestion s = nearestValidHeads(m.dim, m.n_heads, m.n_kv_heads);
    if (s.n_heads == m.n_heads && s.n_kv_heads == m.n_kv_heads)
        return {}; // nothing better exists for this width (e.g. an odd dim): the learner has to change dim
    return tr("n_heads %1 → %2 and n_kv_heads %3 → %4 (head_dim %5)")
        .arg(m.n_heads)
        .arg(s.n_heads)
        .arg(m.n_kv_heads)
        .arg(s.n_kv_heads)
        .arg(m.dim / s.n_heads);
}

void ConfigStudio::applyHeadFix()
{
    if (headFix().isEmpty())
        return; // nothing to apply (the button is hidden then; this keeps a stray click harmless)
    const ModelConfig &m = config().model;
    const HeadSuggestion s = nearestValidHeads(m.dim, m.n_heads, m.n_kv_heads);
    m_form->setFieldValue(QStringLiteral("model.n_heads"), static_cast<int64_t>(s.n_heads));
    m_form->setFieldValue(QStringLiteral("model.n_kv_heads"), static_cast<int64_t>(s.n_kv_heads));
    refresh();
}

void ConfigStudio::focusField(const QString &path)
{
    if (QWidget *editor = m_form->editorFor(path)) {
        m_formScroll->ensureWidgetVisible(editor, 0, fontMetrics().height() * 3);
        editor->setFocus(Qt::OtherFocusReason);
    }
}

bool ConfigStudio::confirmDiscard()
{
    if (m_changedKeys == 0)
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Discard changes?"),
        tr("You changed %n key(s) of %1 without saving. Discard these changes?", nullptr, m_changedKeys)
            .arg(originName()),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Discard;
}

void ConfigStudio::choosePreset(const QString &name)
{
    if (confirmDiscard())
        openPreset(name);
    else
        updateHeader(); // back to what is loaded
}

void ConfigStudio::openFileDialog()
{
    QString start = m_currentFile.isEmpty() ? QString() : QFileInfo(m_currentFile).absolutePath();
    if (start.isEmpty()) {
        try {
            start = QString::fromStdString(presetDirectory());
        } catch (const std::exception &) {
            start = QDir::homePath();
        }
    }
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a configuration"), start,
                                                      tr("YAML configurations (*.yaml *.yml);;All files (*)"));
    if (!path.isEmpty() && confirmDiscard())
        openFile(path);
}

void ConfigStudio::save()
{
    if (m_currentFile.isEmpty())
        saveAs();
    else
        saveToFile(m_currentFile);
}

void ConfigStudio::saveAs()
{
    QString suggested = m_currentFile;
    if (suggested.isEmpty()) {
        const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        suggested = QDir(folder).filePath(originName() + QStringLiteral("-custom.yaml"));
    }
    QFileDialog dialog(this, tr("Save configuration as"), suggested,
                       tr("YAML configurations (*.yaml *.yml);;All files (*)"));
    dialog.setAcceptMode(QFileDialog::AcceptSave);
    dialog.setDefaultSuffix(QStringLiteral("yaml"));
    dialog.selectFile(suggested);
    if (dialog.exec() == QDialog::Accepted && !dialog.selectedFiles().isEmpty())
        saveToFile(dialog.selectedFiles().constFirst());
}

void ConfigStudio::reset()
{
    m_form->setConfig(m_originConfig);
    refresh();
}

} // namespace llmf::views
