// llm-foundry: the desktop application.
#include "mainwindow.h"

#include "llmf/common/systeminfo.h"

#include <QApplication>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LLM Foundry"));
    QApplication::setApplicationName(QStringLiteral("LLM Foundry"));
    QApplication::setApplicationVersion(QStringLiteral(LLMF_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("llm-foundry"));
    llmf::configureThreads();

    llmf::MainWindow window;
    window.show();
    return QApplication::exec();
}
