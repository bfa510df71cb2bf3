#include "config/configform.h"

#include "config/fieldkinds.h"
#include "config/floatedit.h"
#include "config/int64spinbox.h"
#include "config/pathedit.h"
#include "common/statuscolors.h"
#include "config/wheelguard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>
#include <optional>

namespace llmf::views {

namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();
constexpr double kIntMin = std::numeric_limits<int>::min();

QString sectionTitle(const std::string &section)
{
    if (section == "model")
        return ConfigForm::tr("Model");
    if (section == "training")
        return ConfigForm::tr("Training");
    if (section == "data")
        return ConfigForm::tr("Data");
    if (section == "generation")
        return ConfigForm::tr("Generation");
    return QString::fromStdString(section);
}

QString formatValue(const FieldValue &value)
{
    if (const auto *d = std::get_if<double>(&value))
        return FloatEdit::format(*d);
    return QString::fromStdString(formatFieldValue(value));
}

// The same columns in every section, so the editors line up down the whole page. Column 0 holds the keys, column 1
// the editors (path editors span two columns and are left out: their descriptions go underneath).
void alignColumns(const std::vector<QGridLayout *> &grids)
{
    int labelWidth = 0;
    int editorWidth = 0;
    for (auto *grid : grids) {
        for (int i = 0; i < grid->count(); ++i) {
            int row, column, rowSpan, columnSpan;
            grid->getItemPosition(i, &row, &column, &rowSpan, &columnSpan);
            QWidget *widget = grid->itemAt(i)->widget();
            if (widget->layout())
                widget->layout()->invalidate(); // a hidden "off" box changing its text tells no one
            const int width = widget->sizeHint().width();
            if (column == 0)
                labelWidth = std::max(labelWidth, width);
            else if (column == 1 && columnSpan == 1)
                editorWidth = std::max(editorWidth, width);
        }
    }
    for (auto *grid : grids) {
        grid->setColumnMinimumWidth(0, labelWidth);
        grid->setColumnMinimumWidth(1, editorWidth);
    }
}

} // namespace

ConfigForm::ConfigForm(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_wheelGuard = new WheelGuard(this);
    const auto &fields = configFields();
    m_rows.reserve(fields.size());
    for (const auto &section : configSections()) {
        auto *group = new QGroupBox(this);
        group->setObjectName(QStringLiteral("section.%1").arg(QString::fromStdString(section)));
        auto *grid = new QGridLayout(group);
        grid->setColumnStretch(2, 1);
        int gridRow = 0;
        for (const auto &spec : fields) {
            if (spec.section != section)
                continue;
            Row &row = m_rows.emplace_back();
            row.spec = &spec;
            const QString path = QString::fromStdString(spec.path());
            const QString description = QString::fromStdString(spec.description);

            auto *label = new QLabel(QString::fromStdString(spec.key), group);
            label->setToolTip(description);
            label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
            QWidget *editor = createEditor(row);
            editor->setParent(group);
            label->setBuddy(row.editor);
            row.editor->setObjectName(QStringLiteral("field.") + path);
            row.editor->setToolTip(description);
            row.editor->setAccessibleName(QString::fromStdString(spec.key));
            row.editor->setAccessibleDescription(description);

            row.caption = new QLabel(description, group);
            row.caption->setWordWrap(true);
            row.message = new QLabel(group);
            row.message->setObjectName(QStringLiteral("message.") + path);
            row.message->setWordWrap(true);
            row.message->setTextInteractionFlags(Qt::TextSelectableByMouse);
            row.message->hide();

            grid->addWidget(label, gridRow, 0, Qt::AlignLeft | Qt::AlignVCenter);
            if (isPathField(spec)) {
                // A path needs the width; its description goes underneath.
                grid->addWidget(editor, gridRow, 1, 1, 2);
                grid->addWidget(row.caption, ++gridRow, 1, 1, 2);
            } else {
                grid->addWidget(editor, gridRow, 1);
                grid->addWidget(row.caption, gridRow, 2);
            }
            grid->addWidget(row.message, gridRow + 1, 1, 1, 2);
            gridRow += 2;
        }
        m_grids.push_back(grid);
        layout->addWidget(group);
    }
    layout->addStretch(1);

    for (size_t i = 0; i < m_rows.size(); ++i)
        writeToWidgets(m_rows[i], getField(m_config, *m_rows[i].spec));
    retranslate();
    applyColours();
}

ConfigForm::~ConfigForm() = default;

void ConfigForm::retranslate()
{
    for (size_t i = 0; i < m_grids.size(); ++i)
        static_cast<QGroupBox *>(m_grids[i]->parentWidget())->setTitle(sectionTitle(configSections()[i]));
    for (auto &row : m_rows) {
        if (row.off) {
            row.off->setText(tr("off"));
            row.off->setToolTip(tr("Turn this filter off (null in YAML)"));
        }
        if (auto *path = qobject_cast<PathEdit *>(row.editor->parentWidget()))
            path->setFileFilter(row.spec->key.find("tokenizer") != std::string::npos
                                    ? tr("Tokenizers (*.json);;All files (*)")
                                    : tr("Text files (*.txt);;All files (*)"));
        updateMessage(row);
    }
    alignColumns(m_grids); // "off" has another width in another language
}

QString ConfigForm::inputError(const Row &row)
{
    if (row.unreadable)
        return tr("'%1' is not a number yet: type e.g. 0.0003 or 3e-4.").arg(*row.unreadable);
    return row.inputError;
}

QWidget *ConfigForm::createEditor(Row &row)
{
    const FieldSpec &spec = *row.spec;
    const size_t index = m_rows.size() - 1;
    const auto edited = [this, index] { onEdited(index); };

    if (isPathField(spec)) {
        auto *path = new PathEdit(QString::fromStdString(spec.description).contains(QLatin1String("folder")));
        path->browseButton()->setObjectName(QStringLiteral("browse.") + QString::fromStdString(spec.path()));
        connect(path->lineEdit(), &QLineEdit::textChanged, this, edited);
        row.editor = path->lineEdit();
        return path;
    }

    if (spec.type == FieldType::Bool) {
        auto *box = new QCheckBox;
        connect(box, &QCheckBox::toggled, this, edited);
        row.editor = box;
        return box;
    }
    if (spec.type == FieldType::String) {
        auto *combo = new QComboBox;
        if (spec.key == "device") {
            // Any cuda:N is valid, so the list is a set of suggestions rather than the allowed values.
            combo->setEditable(true);
            combo->addItems(
                {QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda"), QStringLiteral("cuda:0")});
            combo->setInsertPolicy(QComboBox::NoInsert);
            connect(combo, &QComboBox::currentTextChanged, this, edited);
        } else if (!spec.choices.empty()) {
            for (const auto &choice : spec.choices)
                combo->addItem(QString::fromStdString(choice));
            connect(combo, &QComboBox::currentIndexChanged, this, edited);
        } else {
            delete combo;
            auto *line = new QLineEdit;
            connect(line, &QLineEdit::textEdited, this, edited);
            row.editor = line;
            return line;
        }
        m_wheelGuard->guard(combo);
        row.editor = combo;
        return combo;
    }

    QWidget *input = nullptr;
    if (isIntType(spec.type) && fitsQSpinBox(spec)) {
        auto *spin = new QSpinBox;
        spin->setRange(static_cast<int>(*spec.minimum), static_cast<int>(*spec.maximum));
        connect(spin, &QSpinBox::valueChanged, this, edited);
        input = spin;
    } else if (isIntType(spec.type)) {
        auto *spin = new Int64SpinBox;
        spin->setRange(schemaMin(spec), schemaMax(spec));
        connect(spin, &Int64SpinBox::valueChanged, this, edited);
        input = spin;
    } else {
        auto *line = new FloatEdit;
        connect(line, &QLineEdit::textEdited, this, edited);
        input = line;
    }
    if (qobject_cast<QAbstractSpinBox *>(input))
        m_wheelGuard->guard(input);
    row.editor = input;
    if (!isOptional(spec.type))
        return input;

    // Optional keys (top_k, top_p): "off" writes YAML null; the editor keeps its number for when it comes back.
    auto *container = new QWidget;
    auto *layout = new QHBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(input, 1);
    row.off = new QCheckBox(container); // worded in retranslate()
    row.off->setObjectName(QStringLiteral("off.") + QString::fromStdString(spec.path()));
    connect(row.off, &QCheckBox::toggled, this, edited);
    layout->addWidget(row.off);
    return container;
}

void ConfigForm::onEdited(size_t index)
{
    Row &row = m_rows[index];
    const FieldSpec &spec = *row.spec;
    FieldValue value;
    row.unreadable.reset();
    row.inputError.clear();
    if (row.off)
        row.editor->setEnabled(!row.off->isChecked());

    if (row.off && row.off->isChecked()) {
        value = std::monostate{};
    } else if (auto *spin = qobject_cast<QSpinBox *>(row.editor)) {
        value = static_cast<int64_t>(spin->value());
    } else if (auto *spin64 = qobject_cast<Int64SpinBox *>(row.editor)) {
        value = static_cast<int64_t>(spin64->value());
    } else if (auto *check = qobject_cast<QCheckBox *>(row.editor)) {
        value = check->isChecked();
    } else if (auto *combo = qobject_cast<QComboBox *>(row.editor)) {
        value = combo->currentText().trimmed().toStdString();
    } else if (auto *number = qobject_cast<FloatEdit *>(row.editor)) {
        if (const auto v = number->value())
            value = *v;
        else
            row.unreadable = number->text();
    } else if (auto *line = qobject_cast<QLineEdit *>(row.editor)) {
        value = line->text().toStdString();
    }

    if (!row.unreadable) {
        try {
            setField(m_config, spec, value);
        } catch (const std::exception &e) {
            row.inputError = QString::fromUtf8(e.what());
        }
    }
    updateMessage(row);
    Q_EMIT edited(QString::fromStdString(spec.path()));
}

void ConfigForm::writeToWidgets(Row &row, const FieldValue &value)
{
    const QSignalBlocker blockEditor(row.editor);
    row.unreadable.reset();
    row.inputError.clear();
    FieldValue shown = value;
    if (row.off) {
        const QSignalBlocker blockOff(row.off);
        const bool isNull = std::holds_alternative<std::monostate>(value);
        row.off->setChecked(isNull);
        row.editor->setEnabled(!isNull);
        if (isNull) {
            // Keep whatever number the editor shows, or the default, so unticking "off" restores something sensible.
            const FieldValue fallback = getField(Config{}, *row.spec);
            if (std::holds_alternative<std::monostate>(fallback))
                return;
            shown = fallback;
        }
    }

    if (auto *spin = qobject_cast<QSpinBox *>(row.editor)) {
        const auto v =
            static_cast<int>(std::clamp<double>(static_cast<double>(std::get<int64_t>(shown)), kIntMin, kIntMax));
        // A file may hold a value outside the schema's range: show it as it is and let validation explain.
        spin->setRange(std::min(v, static_cast<int>(*row.spec->minimum)),
                       std::max(v, static_cast<int>(*row.spec->maximum)));
        spin->setValue(v);
    } else if (auto *spin64 = qobject_cast<Int64SpinBox *>(row.editor)) {
        const qint64 v = std::get<int64_t>(shown);
        spin64->setRange(std::min(v, schemaMin(*row.spec)), std::max(v, schemaMax(*row.spec)));
        spin64->setValue(v);
    } else if (auto *check = qobject_cast<QCheckBox *>(row.editor)) {
        check->setChecked(std::get<bool>(shown));
    } else if (auto *combo = qobject_cast<QComboBox *>(row.editor)) {
        const QString text = formatValue(shown);
        const int found = combo->findText(text);
        if (found >= 0)
            combo->setCurrentIndex(found);
        else if (combo->isEditable())
            combo->setEditText(text);
    } else if (auto *line = qobject_cast<QLineEdit *>(row.editor)) {
        line->setText(formatValue(shown));
    }
}

void ConfigForm::setConfig(const Config &config)
{
    m_config = config;
    for (auto &row : m_rows) {
        writeToWidgets(row, getField(m_config, *row.spec));
        updateMessage(row);
    }
}

void ConfigForm::setFieldValue(const QString &path, const FieldValue &value)
{
    for (auto &row : m_rows) {
        if (QString::fromStdString(row.spec->path()) != path)
            continue;
        setField(m_config, *row.spec, value);
        writeToWidgets(row, getField(m_config, *row.spec));
        updateMessage(row);
    }
}

std::vector<ValidationIssue> ConfigForm::inputIssues() const
{
    std::vector<ValidationIssue> issues;
    for (const auto &row : m_rows)
        if (const QString error = inputError(row); !error.isEmpty())
            issues.push_back({row.spec->path(), error.toStdString(), {}});
    return issues;
}

void ConfigForm::setIssues(const std::vector<ValidationIssue> &issues)
{
    for (auto &row : m_rows) {
        QStringList messages;
        for (const auto &issue : issues)
            if (issue.field == row.spec->path())
                messages << QString::fromStdString(issue.message);
        row.issue = messages.join(QLatin1Char('\n'));
        updateMessage(row);
    }
}

void ConfigForm::updateMessage(Row &row)
{
    QString text = inputError(row);
    // An unreadable text and the issue about the last readable value would contradict each other.
    if (text.isEmpty())
        text = row.issue;
    row.message->setText(text);
    row.message->setVisible(!text.isEmpty());
}

QWidget *ConfigForm::editorFor(const QString &path) const
{
    for (const auto &row : m_rows)
        if (QString::fromStdString(row.spec->path()) == path)
            return row.editor;
    return nullptr;
}

void ConfigForm::applyColours()
{
    for (auto &row : m_rows) {
        QPalette muted = row.caption->palette();
        muted.setColor(QPalette::WindowText, mutedTextColor(palette()));
        row.caption->setPalette(muted);
        QPalette error = row.message->palette();
        error.setColor(QPalette::WindowText, errorTextColor(palette()));
        row.message->setPalette(error);
    }
}

void ConfigForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColours();
    else if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
