#include <QtTest>

#include "config/configstudio.h"
#include "config/int64spinbox.h"

#include "llmf/config/configio.h"
#include "llmf/config/presets.h"
#include "llmf/model/accounting.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QGroupBox>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QTreeWidget>

using llmf::views::ConfigStudio;

// Stands in for a real .qm: every text comes back marked, so a test can see which ones were translated again.
class MarkingTranslator final : public QTranslator
{
public:
    bool isEmpty() const override { return false; } // an empty translator is installed without a LanguageChange
    QString translate(const char *, const char *sourceText, const char *, int) const override
    {
        return QStringLiteral("«") + QString::fromUtf8(sourceText) + QStringLiteral("»");
    }
};

class TestConfigStudio : public QObject
{
    Q_OBJECT

private:
    template <class W> static W *find(const ConfigStudio &studio, const QString &name)
    {
        auto *widget = studio.findChild<W *>(name);
        if (!widget)
            qWarning("no widget named %s", qPrintable(name));
        return widget;
    }

    static QString totalText(const ConfigStudio &studio)
    {
        return find<QLabel>(studio, QStringLiteral("totalParametersLabel"))->text();
    }

    static QString grouped(qint64 n) { return QLocale(QLocale::English).toString(n); }

    static QString yamlOf(const llmf::Config &config) { return QString::fromStdString(llmf::configToYaml(config)); }

    static void typeInto(QLineEdit *line, const QString &text)
    {
        line->selectAll();
        QTest::keyClick(line, Qt::Key_Backspace);
        QTest::keyClicks(line, text);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // The presets come from configs/ (LLMF_CONFIG_DIR is set by ctest and the build script).
        QVERIFY(!llmf::listPresets().empty());
    }

    void openingPresets_showsTheirParameterTotals()
    {
        ConfigStudio studio;
        for (const auto &name : llmf::listPresets()) {
            QVERIFY(studio.openPreset(QString::fromStdString(name)));
            const qint64 total = llmf::countParameters(llmf::loadPreset(name).model).total;
            QVERIFY2(totalText(studio).contains(grouped(total)), qPrintable(totalText(studio)));
            QVERIFY(studio.isConfigValid());
            QCOMPARE(find<QComboBox>(studio, QStringLiteral("presetCombo"))->currentText(),
                     QString::fromStdString(name));
        }
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        QVERIFY(totalText(studio).contains(QStringLiteral("7,078,144")));
        QVERIFY(totalText(studio).contains(QStringLiteral("7.08M")));
    }

    void editingAField_updatesTotalYamlAndEmitsConfigChanged()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        QSignalSpy changed(&studio, &ConfigStudio::configChanged);
        auto *layers = find<QSpinBox>(studio, QStringLiteral("field.model.n_layers"));
        QVERIFY(layers);
        QCOMPARE(layers->value(), 4);
        layers->setValue(6);

        QCOMPARE(studio.config().model.n_layers, 6);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(qvariant_cast<llmf::Config>(changed.last().at(0)).model.n_layers, 6);
        QCOMPARE(changed.last().at(1).toBool(), true);
        const qint64 total = llmf::countParameters(studio.config().model).total;
        QVERIFY(total != 7078144);
        QVERIFY2(totalText(studio).contains(grouped(total)), qPrintable(totalText(studio)));
        QVERIFY(find<QPlainTextEdit>(studio, QStringLiteral("yamlView"))->toPlainText().contains("n_layers: 6"));
        QCOMPARE(find<QTreeWidget>(studio, QStringLiteral("diffTable"))->topLevelItemCount(), 1);

        find<QPushButton>(studio, QStringLiteral("resetButton"))->click();
        QCOMPARE(studio.config().model.n_layers, 4);
        QCOMPARE(layers->value(), 4);
        QCOMPARE(find<QTreeWidget>(studio, QStringLiteral("diffTable"))->topLevelItemCount(), 0);
    }

    void invalidHeads_showMessageDisableTrainAndApplyFixRepairs()
    {
        ConfigStudio studio;
        studio.show();
        QVERIFY(studio.openPreset(QStringLiteral("rtx5060")));
        auto *train = find<QPushButton>(studio, QStringLiteral("trainButton"));
        QVERIFY(train->isEnabled());
        // The guide's line: dim 704, 10 heads, 5 KV heads.
        find<QSpinBox>(studio, QStringLiteral("field.model.n_kv_heads"))->setValue(5);
        find<QSpinBox>(studio, QStringLiteral("field.model.n_heads"))->setValue(10);

        QVERIFY(!studio.isConfigValid());
        auto *message = find<QLabel>(studio, QStringLiteral("message.model.n_heads"));
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains("must be divisible by n_heads"), qPrintable(message->text()));
        QVERIFY(!train->isEnabled());
        QVERIFY(!find<QPushButton>(studio, QStringLiteral("saveButton"))->isEnabled());
        QVERIFY(find<QListWidget>(studio, QStringLiteral("issuesList"))->count() >= 1);
        QVERIFY(find<QLabel>(studio, QStringLiteral("fixLabel"))->text().contains("11"));

        auto *applyFix = find<QPushButton>(studio, QStringLiteral("applyFixButton"));
        QVERIFY(applyFix->isVisible());
        QSignalSpy changed(&studio, &ConfigStudio::configChanged);
        applyFix->click();
        QCOMPARE(studio.config().model.n_heads, 11);
        QCOMPARE(studio.config().model.n_kv_heads, 11);
        QCOMPARE(find<QSpinBox>(studio, QStringLiteral("field.model.n_heads"))->value(), 11);
        QVERIFY(studio.isConfigValid());
        QVERIFY(train->isEnabled());
        QVERIFY(!message->isVisible());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.last().at(1).toBool(), true);
    }

    void saveThenReopen_keepsValuesAndWritesOnlyDifferences()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("mine.yaml"));
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        find<QSpinBox>(studio, QStringLiteral("field.model.n_layers"))->setValue(6);
        typeInto(find<QLineEdit>(studio, QStringLiteral("field.training.learning_rate")), QStringLiteral("5e-4"));
        QCOMPARE(studio.config().training.learning_rate, 5e-4);
        find<QCheckBox>(studio, QStringLiteral("off.generation.top_p"))->setChecked(true);
        QVERIFY(!studio.config().generation.top_p.has_value());
        const llmf::Config edited = studio.config();

        QVERIFY(studio.saveToFile(path));
        QCOMPARE(studio.currentFile(), path);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains("n_layers: 6"));
        QVERIFY(text.contains("learning_rate: 0.0005"));
        QVERIFY(text.contains("top_p: null"));
        QVERIFY(!text.contains("norm_eps")); // a default: not written
        QVERIFY(!text.contains("batch_size"));

        QVERIFY(studio.openPreset(QStringLiteral("tiny")));
        QVERIFY(studio.openFile(path));
        QCOMPARE(yamlOf(studio.config()), yamlOf(edited));
        QCOMPARE(find<QSpinBox>(studio, QStringLiteral("field.model.n_layers"))->value(), 6);
        QCOMPARE(find<QLineEdit>(studio, QStringLiteral("field.training.learning_rate"))->text(),
                 QStringLiteral("0.0005"));
        QVERIFY(find<QCheckBox>(studio, QStringLiteral("off.generation.top_p"))->isChecked());
    }

    // A config from someone else must not make the learner train on another of their files: text is read only
    // from the config's own folder, relative paths resolve against it, and saving keeps text beside it relative.
    void dataPath_outsideTheConfigsFolder_isNotUsed()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("shared")));
        const QString shared = dir.filePath(QStringLiteral("shared/config.yaml"));
        const QString beside = dir.filePath(QStringLiteral("shared/text.txt"));
        for (const auto &[path, content] :
             {std::pair{shared, QByteArray("model:\n  n_layers: 3\ndata:\n  file_path: ../secret.txt\n")},
              std::pair{beside, QByteArray("Some text.\n")}}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        ConfigStudio studio;
        studio.show();
        QVERIFY(studio.openFile(shared));
        QCOMPARE(studio.config().model.n_layers, 3); // the rest of the config is used
        QCOMPARE(studio.config().data.file_path, std::string());
        auto *banner = find<QLabel>(studio, QStringLiteral("bannerLabel"));
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains(QStringLiteral("secret.txt")) &&
                     banner->text().contains(QStringLiteral("not used")),
                 qPrintable(banner->text()));

        QFile file(shared);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("data:\n  file_path: text.txt\n");
        file.close();
        QVERIFY(studio.openFile(shared));
        QCOMPARE(QString::fromStdString(studio.config().data.file_path), QFileInfo(beside).absoluteFilePath());
        const QString copy = dir.filePath(QStringLiteral("shared/copy.yaml"));
        QVERIFY(studio.saveToFile(copy));
        QFile saved(copy);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray yaml = saved.readAll();
        QVERIFY2(yaml.contains("file_path: text.txt") || yaml.contains("file_path: \"text.txt\""), yaml.constData());
    }

    void malformedYaml_keepsConfigAndNamesFileAndLine()
    {
        QTemporaryDir dir;
        const QString typo = dir.filePath(QStringLiteral("typo.yaml"));
        const QString broken = dir.filePath(QStringLiteral("broken.yaml"));
        for (const auto &[path, content] : {std::pair{typo, "model:\n  dim: 128\n  n_headz: 4\n"},
                                            std::pair{broken, "model:\n  dim: [128, 256\n  n_heads: 4\n"}}) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(content);
        }
        ConfigStudio studio;
        studio.show();
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        const QString before = yamlOf(studio.config());
        QSignalSpy changed(&studio, &ConfigStudio::configChanged);

        QVERIFY(!studio.openFile(typo));
        auto *banner = find<QLabel>(studio, QStringLiteral("bannerLabel"));
        QVERIFY(banner->isVisible());
        QVERIFY2(banner->text().contains("typo.yaml:3"), qPrintable(banner->text()));
        QVERIFY(banner->text().contains("n_heads")); // the nearest valid key
        QCOMPARE(yamlOf(studio.config()), before);

        QVERIFY(!studio.openFile(broken));
        QVERIFY2(banner->text().contains("broken.yaml:"), qPrintable(banner->text()));
        QCOMPARE(yamlOf(studio.config()), before);
        QVERIFY(!studio.openFile(dir.filePath(QStringLiteral("missing.yaml"))));
        QVERIFY(!studio.openPreset(QStringLiteral("no-such-preset")));
        QCOMPARE(yamlOf(studio.config()), before);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(studio.currentFile(), QString());

        QVERIFY(studio.openPreset(QStringLiteral("tiny"))); // a good load clears the stale error
        QVERIFY(!banner->isVisible());
    }

    void trainButton_emitsTheCurrentConfig()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("tiny")));
        find<QSpinBox>(studio, QStringLiteral("field.training.batch_size"))->setValue(12);
        QSignalSpy train(&studio, &ConfigStudio::trainRequested);
        find<QPushButton>(studio, QStringLiteral("trainButton"))->click();
        QCOMPARE(train.count(), 1);
        const auto sent = qvariant_cast<llmf::Config>(train.first().at(0));
        QCOMPARE(sent.training.batch_size, 12);
        QCOMPARE(yamlOf(sent), yamlOf(studio.config()));
    }

    void halfTypedNumber_blocksTrainingUntilComplete()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        auto *rate = find<QLineEdit>(studio, QStringLiteral("field.training.learning_rate"));
        typeInto(rate, QStringLiteral("2e-"));
        QVERIFY(!studio.isConfigValid());
        QVERIFY(!find<QPushButton>(studio, QStringLiteral("trainButton"))->isEnabled());
        QVERIFY(!find<QLabel>(studio, QStringLiteral("message.training.learning_rate"))->text().isEmpty());
        QTest::keyClicks(rate, QStringLiteral("3"));
        QVERIFY(studio.isConfigValid());
        QCOMPARE(studio.config().training.learning_rate, 2e-3);
    }

    void typingIntoA64BitField_updatesTheConfig()
    {
        ConfigStudio studio;
        studio.show();
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        auto *dim = find<llmf::views::Int64SpinBox>(studio, QStringLiteral("field.model.dim"));
        QVERIFY(dim);
        dim->setFocus();
        dim->selectAll();
        QTest::keyClicks(dim, QStringLiteral("512"));
        QCOMPARE(studio.config().model.dim, 512);
        QTest::keyClick(dim, Qt::Key_Up);
        QCOMPARE(studio.config().model.dim, 513);
        QVERIFY(!studio.isConfigValid()); // 513 / 8 heads
        QVERIFY(find<QLabel>(studio, QStringLiteral("message.model.n_heads"))->text().contains("513"));
    }

    void hugeOddDim_staysResponsive()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        QElapsedTimer clock;
        clock.start();
        find<llmf::views::Int64SpinBox>(studio, QStringLiteral("field.model.dim"))->setValue(999'999'999'999LL);
        QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!studio.isConfigValid());
        QVERIFY(find<QLabel>(studio, QStringLiteral("message.model.dim"))->text().contains("too large"));
        QVERIFY(!find<QPushButton>(studio, QStringLiteral("trainButton"))->isEnabled());
    }

    void languageChange_retranslatesTexts()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        QVERIFY(!studio.openPreset(QStringLiteral("no-such-preset")));              // a banner that is showing
        find<QSpinBox>(studio, QStringLiteral("field.model.n_heads"))->setValue(7); // issues and a Diff count
        typeInto(find<QLineEdit>(studio, QStringLiteral("field.training.learning_rate")), QStringLiteral("3e-"));
        auto *save = find<QPushButton>(studio, QStringLiteral("saveButton"));
        auto *train = find<QPushButton>(studio, QStringLiteral("trainButton"));
        auto *tabs = find<QTabWidget>(studio, QStringLiteral("studioTabs"));
        auto *banner = find<QLabel>(studio, QStringLiteral("bannerLabel"));
        const auto texts = [&] {
            return QStringList{save->text(),
                               train->text(),
                               train->toolTip(),
                               tabs->tabText(0),
                               tabs->tabText(2),
                               find<QGroupBox>(studio, QStringLiteral("section.model"))->title(),
                               find<QLabel>(studio, QStringLiteral("issuesTitle"))->text(),
                               find<QLabel>(studio, QStringLiteral("originLabel"))->text(),
                               totalText(studio),
                               banner->text(),
                               find<QLabel>(studio, QStringLiteral("message.training.learning_rate"))->text(),
                               find<QTreeWidget>(studio, QStringLiteral("diffTable"))->headerItem()->text(0)};
        };
        const QStringList english = texts();
        QCOMPARE(tabs->tabText(2), QStringLiteral("Diff (2)")); // n_heads, and learning_rate 3 on the way to 3e-

        MarkingTranslator translator;
        QVERIFY(QCoreApplication::installTranslator(&translator));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
        for (const QString &text : texts())
            QVERIFY2(text.startsWith(QStringLiteral("«")), qPrintable(text));
        QCOMPARE(tabs->tabText(2), QStringLiteral("«Diff (%1)»").arg(2)); // recomputed, not just re-labelled
        QCOMPARE(studio.config().model.n_heads, 7);                       // the config is untouched

        QVERIFY(QCoreApplication::removeTranslator(&translator));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
        QCOMPARE(texts(), english);
    }

    void configThatCannotFit_warnsBesideTheMemoryTable()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("tiny")));
        auto *warning = find<QLabel>(studio, QStringLiteral("memoryFitWarning"));
        QVERIFY(warning);
        QVERIFY(!warning->isVisibleTo(&studio));
        // Beside the table: what the activations would be if attention kept its T×T maps (the explicit path).
        auto *note = find<QLabel>(studio, QStringLiteral("memoryNote"));
        const llmf::MemoryEstimate tiny = llmf::estimateMemory(studio.config().model, 8, 128);
        QVERIFY2(note->isVisibleTo(&studio) &&
                     note->text().contains(QString::fromStdString(llmf::humanBytes(tiny.activationsExplicitAttention))),
                 qPrintable(note->text()));
        llmf::Config huge = studio.config();
        huge.model.dim = 1048576;
        huge.model.n_heads = 8;
        huge.model.n_kv_heads = 8;
        studio.setConfig(huge, QStringLiteral("test"));
        QVERIFY(warning->isVisibleTo(&studio));
        QVERIFY2(warning->text().contains("will not fit") && warning->text().contains("available"),
                 qPrintable(warning->text()));
        QVERIFY(studio.openPreset(QStringLiteral("tiny")));
        QVERIFY(!warning->isVisibleTo(&studio));
    }

    void absurdSizes_doNotCrash()
    {
        ConfigStudio studio;
        QVERIFY(studio.openPreset(QStringLiteral("small")));
        auto *dim = find<llmf::views::Int64SpinBox>(studio, QStringLiteral("field.model.dim"));
        QVERIFY(dim);
        dim->setValue(1'000'000'000'000LL);
        QCOMPARE(studio.config().model.dim, 1'000'000'000'000LL);
        QVERIFY(totalText(studio).contains(QStringLiteral("—")));
        llmf::Config odd = studio.config();
        odd.model.dim = 7; // no head count gives an even head_dim: no fix to offer, but no crash either
        odd.model.n_heads = 1;
        odd.model.n_kv_heads = 1;
        studio.setConfig(odd, QStringLiteral("test"));
        QVERIFY(!studio.isConfigValid());
        QVERIFY(!find<QPushButton>(studio, QStringLiteral("applyFixButton"))->isVisibleTo(&studio));
    }
};

QTEST_MAIN(TestConfigStudio)
#include "tst_configstudio.moc"
