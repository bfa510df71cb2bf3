#include "config/configtoolbar.h"

#include "llmf/common/error.h"
#include "llmf/config/presets.h"

#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace llmf::views {

namespace {

// The comment block at the top of a preset file says what it is for; it makes a good tooltip.
QString presetSummary(const std::string &name)
{
    try {
        QFile file(QString::fromStdString(presetPath(name)));
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return {};
        QStringList lines;
        while (!file.atEnd()) {
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            if (!line.startsWith(QLatin1Char('#')))
                break;
            lines << line.mid(1).trimmed();
        }
        return lines.join(QLatin1Char('\n'));
    } catch (const std::exception &) {
        return {};
    }
}

} // namespace

ConfigToolBar::ConfigToolBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // No mnemonics on this bar: Alt+letter belongs to the main window's menus.
    m_presetLabel = new QLabel(this);
    m_presetCombo = new QComboBox(this);
    m_presetCombo->setObjectName(QStringLiteral("presetCombo"));
    m_presetCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_presetLabel->setBuddy(m_presetCombo);
    try {
        for (const auto &name : listPresets()) {
            m_presetCombo->addItem(QString::fromStdString(name));
            m_presetCombo->setItemData(m_presetCombo->count() - 1, presetSummary(name), Qt::ToolTipRole);
        }
    } catch (const std::exception &e) {
        // No presets folder (an unusual install): the page still edits and opens files.
        m_presetCombo->setEnabled(false);
        const auto *error = dynamic_cast<const llmf::Error *>(&e);
        m_presetCombo->setToolTip(QString::fromStdString(error ? error->fullMessage() : std::string(e.what())));
    }
    connect(m_presetCombo, &QComboBox::activated, this,
            [this](int index) { Q_EMIT presetChosen(m_presetCombo->itemText(index)); });
    layout->addWidget(m_presetLabel);
    layout->addWidget(m_presetCombo);

    m_openButton = addButton(QStringLiteral("openButton"), QStyle::SP_DialogOpenButton);
    connect(m_openButton, &QPushButton::clicked, this, &ConfigToolBar::openRequested);
    m_saveButton = addButton(QStringLiteral("saveButton"), QStyle::SP_DialogSaveButton);
    connect(m_saveButton, &QPushButton::clicked, this, &ConfigToolBar::saveRequested);
    m_saveAsButton = addButton(QStringLiteral("saveAsButton"), QStyle::SP_DialogSaveButton);
    connect(m_saveAsButton, &QPushButton::clicked, this, &ConfigToolBar::saveAsRequested);
    m_resetButton = addButton(QStringLiteral("resetButton"), QStyle::SP_DialogResetButton);
    connect(m_resetButton, &QPushButton::clicked, this, &ConfigToolBar::resetRequested);

    layout->addSpacing(fontMetrics().averageCharWidth() * 2);
    m_originLabel = new QLabel(this);
    m_originLabel->setObjectName(QStringLiteral("originLabel"));
    m_originLabel->setTextFormat(Qt::RichText);
    m_originLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // long paths must not widen the page
    layout->addWidget(m_originLabel, 1);

    m_trainButton = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), QString(), this);
    m_trainButton->setObjectName(QStringLiteral("trainButton"));
    connect(m_trainButton, &QPushButton::clicked, this, &ConfigToolBar::trainRequested);
    layout->addWidget(m_trainButton);
    stylePrimaryButton();
    retranslate();
}

void ConfigToolBar::retranslate()
{
    m_presetLabel->setText(tr("Preset:"));
    m_presetCombo->setPlaceholderText(tr("Choose a preset…"));
    m_openButton->setText(tr("Open…"));
    m_openButton->setToolTip(tr("Open a YAML file"));
    m_saveButton->setText(tr("Save"));
    m_saveButton->setToolTip(tr("Save the keys that differ from the defaults"));
    m_saveAsButton->setText(tr("Save As…"));
    m_saveAsButton->setToolTip(tr("Save to a new YAML file"));
    m_resetButton->setText(tr("Reset"));
    m_resetButton->setToolTip(tr("Go back to the preset or file this configuration came from"));
    m_trainButton->setText(tr("Train this config"));
    m_trainButton->setToolTip(trainToolTip());
}

QPushButton *ConfigToolBar::addButton(const QString &name, int icon)
{
    auto *button = new QPushButton(style()->standardIcon(static_cast<QStyle::StandardPixmap>(icon)), QString(), this);
    button->setObjectName(name);
    layout()->addWidget(button);
    return button;
}

bool ConfigToolBar::selectPreset(const QString &name)
{
    const int index = name.isEmpty() ? -1 : m_presetCombo->findText(name);
    m_presetCombo->setCurrentIndex(index);
    return index >= 0;
}

void ConfigToolBar::setOrigin(const QString &richText, const QString &toolTip)
{
    m_originLabel->setText(richText);
    m_originLabel->setToolTip(toolTip);
}

void ConfigToolBar::setState(bool valid, bool resettable)
{
    m_valid = valid;
    m_trainButton->setEnabled(valid);
    m_trainButton->setToolTip(trainToolTip());
    m_saveButton->setEnabled(valid);
    m_saveAsButton->setEnabled(valid);
    m_resetButton->setEnabled(resettable);
}

QString ConfigToolBar::trainToolTip() const
{
    return m_valid ? tr("Open the Training dashboard with this configuration")
                   : tr("Fix the problems listed above the form first");
}

void ConfigToolBar::stylePrimaryButton()
{
    // The primary action in the palette's accent colour; the disabled group is left alone so it still looks off.
    QPalette p = palette();
    for (const auto group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Button, p.color(group, QPalette::Highlight));
        p.setColor(group, QPalette::ButtonText, p.color(group, QPalette::HighlightedText));
    }
    m_trainButton->setPalette(p);
    QFont bold = m_trainButton->font();
    bold.setBold(true);
    m_trainButton->setFont(bold);
}

void ConfigToolBar::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange && m_trainButton)
        stylePrimaryButton();
    else if (event->type() == QEvent::LanguageChange && m_trainButton)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
