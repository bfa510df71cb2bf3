#include "config/configdiffview.h"

#include "llmf/config/configschema.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace llmf::views {

namespace {
QString shown(const FieldValue &value)
{
    const auto *text = std::get_if<std::string>(&value);
    return text && text->empty() ? ConfigDiffView::tr("(empty)") : QString::fromStdString(formatFieldValue(value));
}
} // namespace

ConfigDiffView::ConfigDiffView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_stack = new QStackedWidget(this);
    layout->addWidget(m_stack);

    m_empty = new QLabel(m_stack);
    m_empty->setObjectName(QStringLiteral("diffEmptyLabel"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setEnabled(false); // the disabled palette gives the muted look of an empty state in every theme
    m_stack->addWidget(m_empty);

    auto *page = new QWidget(m_stack);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    m_heading = new QLabel(page);
    m_heading->setWordWrap(true);
    pageLayout->addWidget(m_heading);
    m_table = new QTreeWidget(page);
    m_table->setObjectName(QStringLiteral("diffTable"));
    m_table->setRootIsDecorated(false);
    m_table->setAlternatingRowColors(true);
    m_table->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->header()->setStretchLastSection(true);
    pageLayout->addWidget(m_table);
    m_stack->addWidget(page);
    retranslate();
}

void ConfigDiffView::retranslate()
{
    m_table->setHeaderLabels({tr("Key"), tr("Origin"), tr("Now")});
    compare(m_origin, m_current, m_originName); // assigning a member to itself is safe
}

void ConfigDiffView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_table)
        retranslate();
    QWidget::changeEvent(event);
}

int ConfigDiffView::compare(const Config &origin, const Config &current, const QString &originName)
{
    m_origin = origin;
    m_current = current;
    m_originName = originName;
    m_table->clear();
    int count = 0;
    for (const auto &spec : configFields()) {
        const FieldValue before = getField(origin, spec);
        const FieldValue after = getField(current, spec);
        if (before == after)
            continue;
        auto *item = new QTreeWidgetItem(m_table);
        item->setText(0, QString::fromStdString(spec.path()));
        item->setText(1, shown(before));
        item->setText(2, shown(after));
        item->setToolTip(0, QString::fromStdString(spec.description));
        QFont bold = item->font(2);
        bold.setBold(true);
        item->setFont(2, bold);
        ++count;
    }
    m_heading->setText(tr("%n key(s) changed since %1:", nullptr, count).arg(originName));
    m_empty->setText(tr("No changes: this is exactly %1.").arg(originName));
    m_stack->setCurrentIndex(count == 0 ? 0 : 1);
    return count;
}

} // namespace llmf::views
