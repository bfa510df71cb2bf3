#include "lessons/lessonspage.h"

#include "checklist/checkliststore.h"
#include "common/messagebanner.h"
#include "lessons/actionregistry.h"
#include "lessons/lessoncatalog.h"
#include "lessons/quizpanel.h"

#include <QDesktopServices>
#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace llmf::views {

LessonsPage::LessonsPage(const LessonCatalog *catalog, ActionRegistry *actions, ChecklistStore *store, QWidget *parent)
    : QWidget(parent), m_catalog(catalog), m_actions(actions), m_store(store)
{
    setObjectName(QStringLiteral("lessonsPage"));
    buildUi();
    m_excerpts = loadEmbeddedExcerpts(m_root + QStringLiteral("/excerpts.json"));
    connect(m_store, &ChecklistStore::changed, this, &LessonsPage::updateHeader);
    connect(m_store, &ChecklistStore::lessonPassed, this, [this] { populateTree(); });
    connect(m_actions, &ActionRegistry::failed, this, [this](const QUrl &, const QString &message) {
        m_banner->showMessage(MessageBanner::Kind::Error, message);
    });
    retranslate();
    const QStringList ids = m_catalog->lessonIds();
    if (!ids.isEmpty())
        openLesson(ids.first());
}

void LessonsPage::buildUi()
{
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("lessonTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setMinimumWidth(240);
    m_tree->setWordWrap(true);
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        const QString id = item->data(0, Qt::UserRole).toString();
        if (!id.isEmpty())
            openLesson(id);
    });
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const QString id = item->data(0, Qt::UserRole).toString();
        if (!id.isEmpty() && id != m_current)
            openLesson(id);
    });

    m_lessonTitle = new QLabel(this);
    QFont font = m_lessonTitle->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    m_lessonTitle->setFont(font);
    m_lessonTitle->setWordWrap(true);
    m_lessonMeta = new QLabel(this);
    m_lessonMeta->setWordWrap(true);
    m_banner = new MessageBanner(this);

    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("lessonText"));
    m_browser->setOpenLinks(false);
    connect(m_browser, &QTextBrowser::anchorClicked, this, &LessonsPage::activateLink);

    m_quiz = new QuizPanel(this);
    connect(m_quiz, &QuizPanel::allCorrect, this, &LessonsPage::onQuizPassed);
    auto *quizScroll = new QScrollArea(this);
    quizScroll->setWidgetResizable(true);
    quizScroll->setWidget(m_quiz);

    auto *textAndQuiz = new QSplitter(Qt::Vertical, this);
    textAndQuiz->addWidget(m_browser);
    textAndQuiz->addWidget(quizScroll);
    textAndQuiz->setStretchFactor(0, 3);
    textAndQuiz->setStretchFactor(1, 2);
    textAndQuiz->setSizes({500, 260});

    m_previous = new QPushButton(this);
    m_next = new QPushButton(this);
    connect(m_previous, &QPushButton::clicked, this, [this] { openLesson(neighbour(-1)); });
    connect(m_next, &QPushButton::clicked, this, [this] { openLesson(neighbour(+1)); });
    auto *navigation = new QHBoxLayout;
    navigation->addWidget(m_previous);
    navigation->addStretch(1);
    navigation->addWidget(m_next);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_lessonTitle);
    rightLayout->addWidget(m_lessonMeta);
    rightLayout->addWidget(m_banner);
    rightLayout->addWidget(textAndQuiz, 1);
    rightLayout->addLayout(navigation);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tree);
    split->addWidget(right);
    split->setStretchFactor(1, 1);
    split->setSizes({330, 850});
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
}

void LessonsPage::setLessonsRoot(const QString &root)
{
    m_root = root;
    m_excerpts = loadEmbeddedExcerpts(m_root + QStringLiteral("/excerpts.json"));
    if (!m_current.isEmpty())
        openLesson(m_current);
}

void LessonsPage::setLanguage(const QString &language)
{
    if (m_language == language)
        return;
    m_language = language;
    populateTree();
    if (!m_current.isEmpty())
        openLesson(m_current);
}

void LessonsPage::populateTree()
{
    m_tree->clear();
    m_items.clear();
    for (const Stage &stage : m_catalog->stages()) {
        auto *stageItem = new QTreeWidgetItem(m_tree, {stage.title.in(m_language)});
        QFont bold = stageItem->font(0);
        bold.setBold(true);
        stageItem->setFont(0, bold);
        stageItem->setFlags(Qt::ItemIsEnabled);
        for (const Lesson &lesson : stage.lessons) {
            const bool passed = m_store->isLessonPassed(lesson.id);
            auto *item = new QTreeWidgetItem(
                stageItem, {(passed ? QStringLiteral("✔ ") : QString()) + lesson.title.in(m_language)});
            item->setData(0, Qt::UserRole, lesson.id);
            item->setToolTip(0, lesson.title.in(m_language) + QStringLiteral("\n") +
                                    tr("About %1 min").arg(lesson.minutes));
            m_items.insert(lesson.id, item);
        }
    }
    m_tree->expandAll();
    if (QTreeWidgetItem *item = m_items.value(m_current))
        m_tree->setCurrentItem(item);
}

bool LessonsPage::openLesson(const QString &lessonId)
{
    const Lesson *lesson = m_catalog->lesson(lessonId);
    if (!lesson)
        return false;
    QFile file(LessonCatalog::markdownPath(m_root, lessonId, m_language));
    if (!file.open(QIODevice::ReadOnly)) {
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("The lesson text %1 is missing from this build.").arg(file.fileName()));
        return false;
    }
    m_current = lessonId;
    m_document = LessonDocument::parse(QString::fromUtf8(file.readAll()), m_excerpts);
    QString markdown = m_document.markdown;
    if (markdown.startsWith(QLatin1String("# ")))
        markdown = markdown.section(QLatin1Char('\n'), 1); // the page header already shows the title
    m_browser->setMarkdown(markdown);
    shadeCodeBlocks();
    m_quiz->setQuestions(m_document.quizzes);
    m_banner->hide();
    if (QTreeWidgetItem *item = m_items.value(lessonId))
        m_tree->setCurrentItem(item);
    updateHeader();
    updateNavigation();
    Q_EMIT lessonOpened(lessonId);
    return true;
}

void LessonsPage::shadeCodeBlocks()
{
    // Qt's Markdown import marks fenced code but draws it like body text; a tinted background tells code apart.
    QTextCursor cursor(m_browser->document());
    for (QTextBlock block = m_browser->document()->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        if (!format.hasProperty(QTextFormat::BlockCodeFence))
            continue;
        format.setBackground(palette().color(QPalette::AlternateBase).darker(104));
        format.setLeftMargin(6);
        cursor.setPosition(block.position());
        cursor.setBlockFormat(format);
    }
}

void LessonsPage::updateHeader()
{
    const Lesson *lesson = m_catalog->lesson(m_current);
    if (!lesson)
        return;
    m_lessonTitle->setText(lesson->title.in(m_language));
    QStringList items;
    for (const QString &id : lesson->checklist)
        if (const ChecklistItem *item = m_catalog->checklistItem(id))
            items << (m_store->isDone(id) ? QStringLiteral("✔ ") : QStringLiteral("☐ ")) + item->title.in(m_language);
    QString stageTitle;
    for (const Stage &stage : m_catalog->stages())
        if (stage.id == lesson->stageId)
            stageTitle = stage.title.in(m_language);
    m_lessonMeta->setText(tr("%1 · about %2 min").arg(stageTitle).arg(lesson->minutes) + QStringLiteral("\n") +
                          tr("Checklist: %1").arg(items.join(QStringLiteral(" · "))));
}

void LessonsPage::updateNavigation()
{
    m_previous->setEnabled(!neighbour(-1).isEmpty());
    m_next->setEnabled(!neighbour(+1).isEmpty());
}

QString LessonsPage::neighbour(int offset) const
{
    const QStringList ids = m_catalog->lessonIds();
    const int at = ids.indexOf(m_current) + offset;
    return at >= 0 && at < ids.size() && ids.contains(m_current) ? ids[at] : QString();
}

void LessonsPage::activateLink(const QUrl &url)
{
    if (url.scheme() == QLatin1String("llmf")) {
        const QString error = m_actions->trigger(url);
        if (error.isEmpty())
            m_banner->hide();
        return;
    }
    if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https")) {
        QDesktopServices::openUrl(url);
        return;
    }
    if (!url.fragment().isEmpty() && url.path().isEmpty())
        m_browser->scrollToAnchor(url.fragment());
}

void LessonsPage::onQuizPassed()
{
    const Lesson *lesson = m_catalog->lesson(m_current);
    if (!lesson)
        return;
    const QString title = lesson->title.in(m_language);
    for (const QString &item : lesson->checklist)
        m_store->earn(item, tr("you answered every self-check question of the lesson “%1”").arg(title));
    m_store->markLessonPassed(lesson->id);
    m_banner->showMessage(MessageBanner::Kind::Info,
                          tr("Lesson complete — every answer right. The checklist items it serves are ticked."));
}

QString LessonsPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void LessonsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void LessonsPage::retranslate()
{
    m_previous->setText(tr("← Previous lesson"));
    m_next->setText(tr("Next lesson →"));
    populateTree();
    updateHeader();
}

} // namespace llmf::views
