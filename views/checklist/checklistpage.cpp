#include "checklist/checklistpage.h"

#include "checklist/checkliststore.h"
#include "common/messagebanner.h"
#include "common/pagetitle.h"
#include "lessons/lessoncatalog.h"

#include <QCheckBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QVBoxLayout>

namespace llmf::views {

namespace {

QStringList itemIds(const ChecklistGroup &group)
{
    QStringList ids;
    for (const ChecklistItem &item : group.items)
        ids << item.id;
    return ids;
}

int percent(int done, int total)
{
    return total > 0 ? (100 * done + total / 2) / total : 0;
}

} // namespace

ChecklistPage::ChecklistPage(const LessonCatalog *catalog, ChecklistStore *store, QWidget *parent)
    : QWidget(parent), m_catalog(catalog), m_store(store)
{
    setObjectName(QStringLiteral("checklistPage"));
    buildUi();
    connect(m_store, &ChecklistStore::changed, this, &ChecklistPage::refresh);
    retranslate();
    if (!m_store->loadWarning().isEmpty())
        m_banner->showMessage(MessageBanner::Kind::Error, m_store->loadWarning());
}

void ChecklistPage::buildUi()
{
    m_title = createPageTitle(this);
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_banner = new MessageBanner(this);
    m_totalLabel = new QLabel(this);
    m_total = new QProgressBar(this);
    m_total->setObjectName(QStringLiteral("checklistTotal"));
    m_export = new QPushButton(this);
    m_reset = new QPushButton(this);
    connect(m_export, &QPushButton::clicked, this, &ChecklistPage::chooseExportPath);
    connect(m_reset, &QPushButton::clicked, this, &ChecklistPage::reset);

    auto *top = new QHBoxLayout;
    top->addWidget(m_totalLabel);
    top->addWidget(m_total, 1);
    top->addWidget(m_export);
    top->addWidget(m_reset);

    auto *content = new QWidget;
    auto *grid = new QGridLayout(content);
    int index = 0;
    for (const ChecklistGroup &group : m_catalog->checklist()) {
        auto *box = new QGroupBox(content);
        auto *layout = new QVBoxLayout(box);
        auto *bar = new QProgressBar(box);
        bar->setObjectName(QStringLiteral("progress_") + group.id);
        layout->addWidget(bar);
        for (const ChecklistItem &item : group.items) {
            auto *check = new QCheckBox(box);
            check->setObjectName(QStringLiteral("item_") + item.id);
            auto *reason = new QLabel(box);
            reason->setWordWrap(true);
            reason->setIndent(24);
            reason->setStyleSheet(QStringLiteral("color: palette(mid);"));
            const QString id = item.id;
            connect(check, &QCheckBox::clicked, this, [this, id](bool on) { m_store->setDone(id, on); });
            layout->addWidget(check);
            layout->addWidget(reason);
            m_boxes.insert(id, check);
            m_reasons.insert(id, reason);
        }
        layout->addStretch(1);
        grid->addWidget(box, index / 2, index % 2);
        m_groups.insert(group.id, box);
        m_groupBars.insert(group.id, bar);
        ++index;
    }
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_intro);
    layout->addWidget(m_banner);
    layout->addLayout(top);
    layout->addWidget(scroll, 1);
}

void ChecklistPage::setLanguage(const QString &language)
{
    m_language = language;
    retranslate();
}

void ChecklistPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void ChecklistPage::retranslate()
{
    m_title->setText(tr("Learning checklist"));
    m_intro->setText(tr("The guide's sixteen skills. Tick them by hand, or earn them in the app: finish a training run "
                        "whose loss falls, compare sampling strategies in the Playground, answer the parameter quiz "
                        "in Config Studio, train on your own text, or pass a lesson's self-check."));
    m_export->setText(tr("Export as Markdown…"));
    m_reset->setText(tr("Reset…"));
    for (const ChecklistGroup &group : m_catalog->checklist()) {
        m_groups.value(group.id)->setTitle(group.title.in(m_language));
        for (const ChecklistItem &item : group.items) {
            m_boxes.value(item.id)->setText(item.title.in(m_language));
            QStringList lessons;
            for (const Stage &stage : m_catalog->stages())
                for (const Lesson &lesson : stage.lessons)
                    if (lesson.checklist.contains(item.id))
                        lessons << lesson.title.in(m_language);
            m_boxes.value(item.id)->setToolTip(tr("Lessons: %1").arg(lessons.join(QStringLiteral("; "))));
        }
    }
    refresh();
}

void ChecklistPage::refresh()
{
    int done = 0;
    int total = 0;
    for (const ChecklistGroup &group : m_catalog->checklist()) {
        const QStringList ids = itemIds(group);
        const int groupDone = m_store->doneCount(ids);
        done += groupDone;
        total += ids.size();
        QProgressBar *bar = m_groupBars.value(group.id);
        bar->setValue(percent(groupDone, ids.size()));
        bar->setFormat(tr("%1 of %2").arg(groupDone).arg(ids.size()));
        for (const QString &id : ids) {
            const ChecklistStore::Entry entry = m_store->entry(id);
            m_boxes.value(id)->setChecked(entry.done);
            QLabel *reason = m_reasons.value(id);
            reason->setText(reasonText(id));
            reason->setVisible(!reason->text().isEmpty());
        }
    }
    m_total->setValue(percent(done, total));
    m_total->setFormat(tr("%1 of %2 (%p%)").arg(done).arg(total));
    m_totalLabel->setText(tr("Total"));
    if (!m_store->saveError().isEmpty())
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("Progress could not be saved: %1").arg(m_store->saveError()));
}

QString ChecklistPage::reasonText(const QString &itemId) const
{
    const ChecklistStore::Entry entry = m_store->entry(itemId);
    if (!entry.done)
        return {};
    const QString when = QLocale().toString(entry.when.toLocalTime(), QLocale::ShortFormat);
    if (entry.automatic)
        return tr("Earned %1: %2").arg(when, entry.reason);
    return tr("Ticked by hand %1").arg(when);
}

int ChecklistPage::totalProgress() const
{
    return m_total->value();
}

int ChecklistPage::groupProgress(const QString &groupId) const
{
    QProgressBar *bar = m_groupBars.value(groupId);
    return bar ? bar->value() : -1;
}

QString ChecklistPage::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void ChecklistPage::reset()
{
    if (m_confirmReset &&
        QMessageBox::question(this, tr("Reset the checklist"),
                              tr("Untick all sixteen items and forget which lessons you passed?")) != QMessageBox::Yes)
        return;
    m_store->reset();
    m_banner->hide();
}

bool ChecklistPage::exportMarkdown(const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_store->toMarkdown(*m_catalog, m_language).toUtf8()) < 0 ||
        !file.commit()) {
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString()));
        return false;
    }
    return true;
}

void ChecklistPage::chooseExportPath()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the checklist"),
                                                      QStringLiteral("learning-checklist.md"), tr("Markdown (*.md)"));
    if (!path.isEmpty() && exportMarkdown(path))
        m_banner->showMessage(MessageBanner::Kind::Info, tr("Exported to %1").arg(QDir::toNativeSeparators(path)));
}

} // namespace llmf::views
