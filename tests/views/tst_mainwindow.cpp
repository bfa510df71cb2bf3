#include <QtTest>

#include "smallrun.h"

#include "config/configstudio.h"
#include "home/homepage.h"
#include "inspector/inspectorpage.h"
#include "mainwindow.h"
#include "training/trainingcontroller.h"
#include "training/trainingdashboard.h"
#include "training/trainingworker.h"

#include <QListWidget>
#include <QMenuBar>
#include <QPushButton>
#include <QStackedWidget>

using namespace llmf;

using testing::arrived;

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true); // QSettings and app data in a test location
        QCoreApplication::setOrganizationName("LLM Foundry Tests");
        QCoreApplication::setApplicationName("tst_mainwindow");
        QSettings().clear();
        qputenv("LLMF_CACHE_DIR", m_dir.filePath("cache").toUtf8());
        qputenv("LLMF_RUNS_DIR", m_dir.filePath("runs").toUtf8());
    }

    void opensEveryPage()
    {
        MainWindow window;
        window.show();
        auto *navigation = window.findChild<QListWidget *>("navigation");
        QVERIFY(navigation);
        QCOMPARE(navigation->count(), int(MainWindow::PageCount));
        for (int i = 0; i < MainWindow::PageCount; ++i) {
            navigation->setCurrentRow(i);
            QCOMPARE(window.currentPage(), i);
            QVERIFY(window.centralWidget()->findChild<QStackedWidget *>()->currentWidget()->isVisible());
        }
        QCOMPARE(navigation->item(MainWindow::ConfigPageIndex)->text(), QString("Config Studio"));
    }

    void languageSwitch_retranslatesVisibleWidgets()
    {
        MainWindow window;
        window.show();
        window.setLanguage("zh_CN");
        auto *navigation = window.findChild<QListWidget *>("navigation");
        QCOMPARE(navigation->item(0)->text(), QString::fromUtf8("首页"));
        QCOMPARE(window.menuBar()->actions().first()->text(), QString::fromUtf8("文件(&F)"));
        QCOMPARE(window.homePage()->findChild<QPushButton *>("quickStartButton")->text(),
                 QString::fromUtf8("快速开始：训练 tiny"));
        window.setLanguage("en");
        QCOMPARE(navigation->item(0)->text(), QString("Home"));
        QCOMPARE(QSettings().value("language").toString(), QString("en"));
    }

    void lastPage_isRestored()
    {
        {
            MainWindow window;
            window.setConfirmOnClose(false);
            window.show();
            window.showPage(MainWindow::ConfigPageIndex);
            window.close();
        }
        MainWindow again;
        QCOMPARE(again.currentPage(), int(MainWindow::ConfigPageIndex));
    }

    void liveModel_opensASnapshotOfTheTrainingModel()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.show();
        views::TrainingDashboard *dashboard = window.trainingDashboard();
        QSignalSpy steps(dashboard->controller()->worker(), &views::TrainingWorker::stepsReady);
        QSignalSpy opened(window.inspector(), &views::InspectorPage::runOpened);
        QVERIFY(!window.inspector()->findChild<QPushButton *>("liveModelButton")->isEnabled());
        window.quickStart();
        QVERIFY(arrived(steps, 120000));
        auto *live = window.inspector()->findChild<QPushButton *>("liveModelButton");
        QVERIFY(live->isEnabled());
        live->click();
        QVERIFY(arrived(opened, 30000));
        QCOMPARE(window.inspector()->runDirectory(), dashboard->runDirectory() + "/live");
        QVERIFY(window.inspector()->weightsStep() > 0);
        QVERIFY(dashboard->isTraining()); // the snapshot did not stop anything
        dashboard->stopAndWait();
        QVERIFY(!live->isEnabled());
    }

    void closingDuringTraining_stopsAndSaves()
    {
        MainWindow window;
        window.setConfirmOnClose(false);
        window.show();
        views::TrainingDashboard *dashboard = window.trainingDashboard();
        QSignalSpy steps(dashboard->controller()->worker(), &views::TrainingWorker::stepsReady);
        window.quickStart(); // tiny preset on the default corpus
        QCOMPARE(window.currentPage(), int(MainWindow::TrainingPageIndex));
        QVERIFY(dashboard->isTraining());
        QVERIFY(arrived(steps, 120000));
        window.close();
        QVERIFY(!dashboard->isTraining());
        QVERIFY(QFile::exists(dashboard->runDirectory() + "/trainer_state.json"));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
