#include "config/configform.h"

#include "config/floatedit.h"
#include "config/int64spinbox.h"
#include "config/pathedit.h"
#include "config/statuscolors.h"

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

bool isIntType(FieldType type)
{
    return type == FieldType::Int || type == FieldType::OptionalInt;
}

bool isOptional(FieldType type)
{
    return type == FieldType::OptionalInt || type == FieldType::OptionalFloat;
}

bool isPathField(const FieldSpec &spec)
{
    return spec.type == FieldType::String && QString::fromStdString(spec.key).endsWith(QLatin1String("_path"));
}

// QSpinBox where the schema's range fits an int (most sizes), a 64-bit spin box where it does not (dim, seeds).
bool fitsQSpinBox(const FieldSpec &spec)
{
    return spec.minimum && spec.maximum && *spec.minimum >= kIntMin && *spec.maximum <= kIntMax;
}

qint64 schemaMin(const FieldSpec &spec)
{
    return spec.minimum ? static_cast<qint64>(*spec.minimum) : std::numeric_limits<qint64>::min();
}

qint64 schemaMax(const FieldSpec &spec)
{
    return spec.maximum && *spec.maximum < 9.2e18 ? static_cast<qint64>(*spec.maximum)
                                                  : std::numeric_limits<qint64>::max();
}

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

} // namespace

ConfigForm::ConfigForm(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto &fields = configFields();
    m_rows.reserve(fields.size());
    std::vector<QGridLayout *> grids;
    int labelWidth = 0;
    int editorWidth = 0;
    for (const auto &section : configSections()) {
        auto *group = new QGroupBox(sectionTitle(section), this);
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
                editorWidth = std::max(editorWidth, editor->sizeHint().width());
            }
            grid->addWidget(row.message, gridRow + 1, 1, 1, 2);
            gridRow += 2;
            labelWidth = std::max(labelWidth, label->sizeHint().width());
        }
        grids.push_back(grid);
        layout->addWidget(group);
    }
    layout->addStretch(1);
    // The same columns in every section, so the editors line up down the whole page.
    for (auto *grid : grids) {
        grid->setColumnMinimumWidth(0, labelWidth);
        grid->setColumnMinimumWidth(1, editorWidth);
    }

    for (size_t i = 0; i < m_rows.size(); ++i)
        writeToWidgets(m_rows[i], getField(m_config, *m_rows[i].spec));
    applyColours();
}

ConfigForm::~ConfigForm() = default;

QWidget *ConfigForm::createEditor(Row &row)
{
    const FieldSpec &spec = *row.spec;
    const size_t index = m_rows.size() - 1;
    const auto edited = [this, index] { onEdited(index); };

    if (isPathField(spec)) {
        const bool tokenizer = spec.key.find("tokenizer") != std::string::npos;
        auto *path =
            new PathEdit(tokenizer ? tr("Tokenizers (*.json);;All files (*)") : tr("Text files (*.txt);;All files (*)"),
                         QString::fromStdString(spec.description).contains(QLatin1String("folder")));
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
        combo->setFocusPolicy(Qt::StrongFocus);
        combo->installEventFilter(this);
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
    if (qobject_cast<QAbstractSpinBox *>(input)) {
        input->setFocusPolicy(Qt::StrongFocus);
        input->installEventFilter(this);
    }
    row.editor = input;
    if (!isOptional(spec.type))
        return input;

    // Optional keys (top_k, top_p): "off" writes YAML null; the editor keeps its number for when it comes back.
    auto *container = new QWidget;
    auto *layout = new QHBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(input, 1);
    row.off = new QCheckBox(tr("off"), container);
    row.off->setObjectName(QStringLiteral("off.") + QString::fromStdString(spec.path()));
    row.off->setToolTip(tr("Turn this filter off (null in YAML)"));
    connect(row.off, &QCheckBox::toggled, this, edited);
    layout->addWidget(row.off);
    return container;
}

void ConfigForm::onEdited(size_t index)
{
    Row &row = m_rows[index];
    const FieldSpec &spec = *row.spec;
    FieldValue value;
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
            row.inputError = tr("'%1' is not a number yet: type e.g. 0.0003 or 3e-4.").arg(number->text());
    } else if (auto *line = qobject_cast<QLineEdit *>(row.editor)) {
        value = line->text().toStdString();
    }

    if (row.inputError.isEmpty()) {
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
        if (!row.inputError.isEmpty())
            issues.push_back({row.spec->path(), row.inputError.toStdString(), {}});
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
    QString text = row.inputError;
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
    QWidget::changeEvent(event);
}

bool ConfigForm::eventFilter(QObject *watched, QEvent *event)
{
    // Scrolling the form with the wheel must not change the spin box or combo box that passes under the cursor.
    // Ignoring the event here lets QApplication hand it on to the scroll area.
    if (event->type() == QEvent::Wheel) {
        if (auto *widget = qobject_cast<QWidget *>(watched); widget && !widget->hasFocus()) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace llmf::views
