#include "config/configyamlview.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

namespace llmf::views {

ConfigYamlView::ConfigYamlView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *row = new QHBoxLayout;
    m_showAllKeys = new QCheckBox(this);
    m_showAllKeys->setObjectName(QStringLiteral("showAllKeysCheck"));
    connect(m_showAllKeys, &QCheckBox::toggled, this, &ConfigYamlView::render);
    row->addWidget(m_showAllKeys);
    row->addStretch(1);
    m_copy = new QPushButton(this);
    m_copy->setObjectName(QStringLiteral("copyYamlButton"));
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_text->toPlainText()); });
    row->addWidget(m_copy);
    layout->addLayout(row);

    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("yamlView"));
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text, 1);
    retranslate();
}

void ConfigYamlView::retranslate()
{
    m_showAllKeys->setText(tr("Show all keys"));
    m_showAllKeys->setToolTip(tr("Off: only what differs from the defaults, as Save writes it. On: every key with "
                                 "its resolved value, as in a run directory's config.yaml."));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the YAML to the clipboard"));
    render(); // the comment line at the top
}

void ConfigYamlView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_copy)
        retranslate();
    QWidget::changeEvent(event);
}

void ConfigYamlView::setConfig(const Config &config)
{
    m_config = config;
    render();
}

void ConfigYamlView::render()
{
    const bool full = m_showAllKeys->isChecked();
    QString text;
    try {
        text = QString::fromStdString(configToYaml(m_config, full));
    } catch (const std::exception &e) {
        text = QStringLiteral("# ") + QString::fromUtf8(e.what());
    }
    if (!full)
        text.prepend(text.isEmpty() ? tr("# Every key has its default value: Save writes an empty file.\n")
                                    : tr("# Only the keys that differ from the defaults (what Save writes).\n"));
    if (text == m_text->toPlainText())
        return;
    const int scroll = m_text->verticalScrollBar()->value(); // keep the reader's place while they type
    m_text->setPlainText(text);
    m_text->verticalScrollBar()->setValue(scroll);
}

} // namespace llmf::views
