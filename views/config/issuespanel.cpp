#include "config/issuespanel.h"

#include "common/statuscolors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace llmf::views {

namespace {
constexpr int kPathRole = Qt::UserRole + 1;
constexpr int kVisibleItems = 4; // more scroll; the form shows each one next to its field anyway
} // namespace

IssuesPanel::IssuesPanel(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("issuesPanel"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QVBoxLayout(this);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("issuesTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("issuesList"));
    m_list->setWordWrap(true);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setUniformItemSizes(false);
    m_list->setTextElideMode(Qt::ElideNone);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    connect(m_list, &QListWidget::itemClicked, this,
            [this](QListWidgetItem *item) { Q_EMIT fieldActivated(item->data(kPathRole).toString()); });
    connect(m_list, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { Q_EMIT fieldActivated(item->data(kPathRole).toString()); });
    layout->addWidget(m_list);

    m_fixRow = new QWidget(this);
    auto *fixLayout = new QHBoxLayout(m_fixRow);
    fixLayout->setContentsMargins(0, 0, 0, 0);
    m_fixText = new QLabel(m_fixRow);
    m_fixText->setObjectName(QStringLiteral("fixLabel"));
    m_fixText->setWordWrap(true);
    fixLayout->addWidget(m_fixText, 1);
    m_applyFix = new QPushButton(m_fixRow);
    m_applyFix->setObjectName(QStringLiteral("applyFixButton"));
    m_applyFix->setIcon(style()->standardIcon(QStyle::SP_DialogApplyButton));
    connect(m_applyFix, &QPushButton::clicked, this, &IssuesPanel::applyFixRequested);
    fixLayout->addWidget(m_applyFix, 0, Qt::AlignTop);
    layout->addWidget(m_fixRow);

    applyColours();
    retranslate();
    hide();
}

void IssuesPanel::retranslate()
{
    m_list->setToolTip(tr("Click an issue to go to its field"));
    m_applyFix->setText(tr("Apply fix"));
    setIssues(m_issues, m_fix); // assigning a member to itself is safe
}

void IssuesPanel::setIssues(const std::vector<ValidationIssue> &issues, const QString &fix)
{
    m_issues = issues;
    m_fix = fix;
    m_list->clear();
    for (const auto &issue : issues) {
        const QString path = QString::fromStdString(issue.field);
        QString text = QString::fromStdString(issue.message);
        if (!issue.fix.empty())
            text += QLatin1Char('\n') + tr("Fix: %1").arg(QString::fromStdString(issue.fix));
        auto *item = new QListWidgetItem(text, m_list);
        item->setData(kPathRole, path);
        item->setToolTip(path);
    }
    m_title->setText(tr("%n problem(s) to fix before training", nullptr, static_cast<int>(issues.size())));
    m_fixText->setText(tr("Suggested fix: %1").arg(fix));
    m_fixRow->setVisible(!fix.isEmpty());
    setVisible(!issues.empty());
    fitListHeight();
}

void IssuesPanel::fitListHeight()
{
    // Word-wrapped rows have no height until the list knows its width; estimate two lines per issue.
    const int rows = std::min(m_list->count(), kVisibleItems);
    const int lineHeight = m_list->fontMetrics().lineSpacing();
    int height = 2 * m_list->frameWidth() + 4;
    for (int i = 0; i < rows; ++i)
        height += lineHeight * static_cast<int>(m_list->item(i)->text().count(QLatin1Char('\n')) + 2);
    m_list->setMinimumHeight(std::min(height, lineHeight * 3));
    m_list->setMaximumHeight(height);
}

void IssuesPanel::applyColours()
{
    QPalette title = m_title->palette();
    title.setColor(QPalette::WindowText, errorTextColor(palette()));
    m_title->setPalette(title);
}

void IssuesPanel::paintEvent(QPaintEvent *event)
{
    // A faint red wash computed from the palette (not a style sheet), so it follows light and dark themes.
    QPainter painter(this);
    painter.fillRect(rect(), tintedBackground(palette(), errorTextColor(palette()), 0.12));
    painter.end();
    QFrame::paintEvent(event);
}

void IssuesPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColours();
    else if (event->type() == QEvent::LanguageChange && m_applyFix)
        retranslate();
    QFrame::changeEvent(event);
}

} // namespace llmf::views
