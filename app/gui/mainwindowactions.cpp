// The llmf: links of the lessons (lessons/README.md lists them): each action name maps to what the window does.
// Kept apart from mainwindow.cpp, which composes the pages; this file is the lessons' remote control.
#include "mainwindow.h"

#include "config/configstudio.h"
#include "inspector/inspectorpage.h"
#include "lessons/actionregistry.h"
#include "lessons/lessonspage.h"
#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/presets.h"
#include "llmf/config/validation.h"
#include "playground/playgroundpage.h"
#include "playground/servepanel.h"
#include "training/experimentrunner.h"
#include "training/trainingdashboard.h"

#include <QTabWidget>
#include <QUrlQuery>

#include <optional>

namespace llmf {

namespace {

// A preset with the link's "section.key=value" items applied: llmf:config?preset=tiny&model.n_kv_heads=1.
// Returns the config, or sets `error` to what was wrong.
std::optional<Config> configFromQuery(const QUrlQuery &query, QString *name, QString *error)
{
    const QString preset = query.hasQueryItem(QStringLiteral("preset")) ? query.queryItemValue(QStringLiteral("preset"))
                                                                        : QStringLiteral("tiny");
    try {
        Config config = loadPreset(preset.toStdString());
        QStringList changed;
        for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
            if (!key.contains(QLatin1Char('.')) || key == QLatin1String("training.key"))
                continue;
            applyOverride(config, (key + QLatin1Char('=') + value).toStdString());
            changed << key.section(QLatin1Char('.'), -1) + QLatin1Char('-') + value;
        }
        *name = changed.isEmpty() ? preset : preset + QLatin1Char('-') + changed.join(QLatin1Char('-'));
        return config;
    } catch (const Error &e) {
        *error = QString::fromStdString(e.fullMessage());
        return std::nullopt;
    }
}

QString needsRun()
{
    return MainWindow::tr("This action looks at a trained model: train one first (Home → Quick start, about a minute) "
                          "or open a run directory (File → Open run directory).");
}

} // namespace

void MainWindow::registerActions()
{
    m_actions->registerAction(QStringLiteral("page"), [this](const QUrlQuery &q) {
        const QString name = q.queryItemValue(QStringLiteral("name"));
        for (int page = 0; page < PageCount; ++page)
            if (pageName(page) == name) {
                showPage(page);
                return QString();
            }
        return tr("There is no page “%1”.").arg(name);
    });
    m_actions->registerAction(QStringLiteral("lesson"), [this](const QUrlQuery &q) {
        if (!m_lessons->openLesson(q.queryItemValue(QStringLiteral("id"))))
            return tr("There is no lesson “%1”.").arg(q.queryItemValue(QStringLiteral("id")));
        showPage(LessonsPageIndex);
        return QString();
    });
    m_actions->registerAction(QStringLiteral("checklist"), [this](const QUrlQuery &) {
        showPage(ChecklistPageIndex);
        return QString();
    });
    m_actions->registerAction(QStringLiteral("quickstart"), [this](const QUrlQuery &) {
        quickStart();
        return QString();
    });
    m_actions->registerAction(QStringLiteral("config"), [this](const QUrlQuery &q) {
        QString name;
        QString error;
        const std::optional<Config> config = configFromQuery(q, &name, &error);
        if (!config)
            return error;
        // The preset is the origin and the overrides an edit of it, so the Diff tab shows what the link changed.
        if (!m_configStudio->openPreset(q.hasQueryItem(QStringLiteral("preset"))
                                            ? q.queryItemValue(QStringLiteral("preset"))
                                            : QStringLiteral("tiny")))
            return tr("The preset could not be opened; Config Studio says why.");
        m_configStudio->editConfig(*config);
        showPage(ConfigPageIndex);
        return QString();
    });
    m_actions->registerAction(QStringLiteral("train"), [this](const QUrlQuery &q) {
        if (m_training->isTraining())
            return tr("A training is already running: stop it first (Training page).");
        QString name;
        QString error;
        const std::optional<Config> config = configFromQuery(q, &name, &error);
        if (!config)
            return error;
        const std::vector<ValidationIssue> issues = validate(*config);
        if (!issues.empty())
            return QString::fromStdString(issues.front().message);
        m_configName = name;
        m_training->setConfig(*config, true, name);
        // processes=2: data-parallel training, as the Training page's Processes setting (always set, so a link
        // without it trains in one process whatever the page was left at).
        m_training->setProcesses(q.queryItemValue(QStringLiteral("processes")).toInt() > 1
                                     ? q.queryItemValue(QStringLiteral("processes")).toInt()
                                     : 1);
        showPage(TrainingPageIndex);
        m_training->startTraining();
        return QString();
    });
    m_actions->registerAction(QStringLiteral("experiment"), [this](const QUrlQuery &q) {
        QString name;
        QString error;
        const std::optional<Config> config = configFromQuery(q, &name, &error);
        if (!config)
            return error;
        const QStringList values =
            q.queryItemValue(QStringLiteral("values")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        error = m_experiment->start(*config, q.queryItemValue(QStringLiteral("preset")),
                                    q.queryItemValue(QStringLiteral("key")), values);
        if (error.isEmpty())
            showPage(TrainingPageIndex);
        return error;
    });
    m_actions->registerAction(QStringLiteral("inspector"), [this](const QUrlQuery &q) {
        if (!m_inspector->hasRun())
            return needsRun();
        const QString tab = q.queryItemValue(QStringLiteral("tab"));
        const int index = tab == QLatin1String("rope")         ? 1
                          : tab == QLatin1String("anatomy")    ? 2
                          : tab == QLatin1String("logitlens")  ? 3
                          : tab == QLatin1String("embeddings") ? 4
                          : tab == QLatin1String("heads")      ? 5
                                                               : 0;
        if (q.hasQueryItem(QStringLiteral("text")))
            m_inspector->setText(q.queryItemValue(QStringLiteral("text"), QUrl::FullyDecoded));
        if (q.hasQueryItem(QStringLiteral("layer")) || q.hasQueryItem(QStringLiteral("head")))
            m_inspector->showAttention(q.queryItemValue(QStringLiteral("layer")).toInt(),
                                       q.queryItemValue(QStringLiteral("head")).toInt());
        m_inspector->tabs()->setCurrentIndex(index);
        showPage(InspectorPageIndex);
        return QString();
    });
    m_actions->registerAction(QStringLiteral("playground"), [this](const QUrlQuery &q) {
        // Sampling keys go through the config schema, so a link gets the same checks and messages as a YAML file.
        Config config;
        config.generation = m_playground->sampling();
        try {
            for (auto [key, value] : q.queryItems(QUrl::FullyDecoded)) {
                if (key == QLatin1String("prompt") || key == QLatin1String("generate"))
                    continue;
                if (key == QLatin1String("top_k") && value == QLatin1String("0"))
                    value = QStringLiteral("null"); // "0" reads as "off" in links
                applyOverride(config, ("generation." + key + QLatin1Char('=') + value).toStdString());
            }
        } catch (const Error &e) {
            return QString::fromStdString(e.fullMessage());
        }
        m_playground->setSampling(config.generation);
        if (q.hasQueryItem(QStringLiteral("prompt")))
            m_playground->setPrompt(q.queryItemValue(QStringLiteral("prompt"), QUrl::FullyDecoded));
        m_playground->showTab(views::PlaygroundPage::NextTokenTab);
        showPage(PlaygroundPageIndex);
        if (q.queryItemValue(QStringLiteral("generate")) == QLatin1String("1")) {
            if (m_playground->runDirectory().isEmpty())
                return needsRun();
            m_playground->generate();
        }
        return QString();
    });
    m_actions->registerAction(QStringLiteral("compare"), [this](const QUrlQuery &q) {
        if (m_playground->runDirectory().isEmpty())
            return needsRun();
        QVector<GenerationConfig> settings;
        for (const QString &t :
             q.queryItemValue(QStringLiteral("temperature")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            GenerationConfig g = m_playground->sampling();
            bool ok = false;
            g.temperature = t.toDouble(&ok);
            if (!ok || g.temperature < 0)
                return tr("“%1” is not a temperature (a number ≥ 0).").arg(t);
            settings.push_back(g);
        }
        if (settings.size() < 2)
            return tr("Compare needs at least two temperatures, e.g. temperature=0.1,1.0.");
        showPage(PlaygroundPageIndex);
        m_playground->compare(settings);
        return QString();
    });
    m_actions->registerAction(QStringLiteral("kvcache"), [this](const QUrlQuery &) {
        if (m_playground->runDirectory().isEmpty())
            return needsRun();
        showPage(PlaygroundPageIndex);
        m_playground->runKvCacheAb();
        return QString();
    });
    m_actions->registerAction(QStringLiteral("serve"), [this](const QUrlQuery &q) {
        if (m_playground->runDirectory().isEmpty())
            return needsRun();
        showPage(PlaygroundPageIndex);
        m_playground->showServeTab();
        if (q.queryItemValue(QStringLiteral("start")) == QLatin1String("1"))
            m_playground->servePanel()->startServer();
        return QString();
    });
    m_actions->registerAction(QStringLiteral("precision"), [this](const QUrlQuery &) {
        if (m_playground->runDirectory().isEmpty())
            return needsRun();
        showPage(PlaygroundPageIndex);
        m_playground->runPrecisionComparison();
        return QString();
    });
}

} // namespace llmf
