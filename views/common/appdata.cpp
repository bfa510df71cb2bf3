#include "common/appdata.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace llmf::views {

namespace {

QString dataRoot()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
}

} // namespace

QString appDataDirectory()
{
    return QDir(dataRoot()).filePath(QCoreApplication::applicationName());
}

QString runsDirectory()
{
    return qEnvironmentVariable("LLMF_RUNS_DIR", QDir(appDataDirectory()).filePath(QStringLiteral("runs")));
}

QString migrateLegacyAppData()
{
    const QString organisation = QCoreApplication::organizationName();
    if (organisation.isEmpty())
        return {};
    const QString legacy = QDir(dataRoot()).filePath(organisation + QLatin1Char('/') +
                                                     QCoreApplication::applicationName());
    const QString current = appDataDirectory();
    if (QFileInfo(legacy).absoluteFilePath() == QFileInfo(current).absoluteFilePath() || !QFileInfo::exists(legacy))
        return {};
    if (QFileInfo::exists(current))
        return QCoreApplication::translate("AppData", "Both %1 and %2 exist; the app uses %2. Move what you need "
                                                      "from the first yourself.")
            .arg(QDir::toNativeSeparators(legacy), QDir::toNativeSeparators(current));
    QDir().mkpath(dataRoot());
    if (!QDir().rename(legacy, current))
        return QCoreApplication::translate("AppData", "Could not move %1 to %2; the app starts with an empty %2.")
            .arg(QDir::toNativeSeparators(legacy), QDir::toNativeSeparators(current));
    // The organisation's folder held only the application's: remove it when empty (rmdir refuses otherwise).
    QDir(dataRoot()).rmdir(organisation);
    return QCoreApplication::translate("AppData", "Moved your runs and progress from %1 to %2.")
        .arg(QDir::toNativeSeparators(legacy), QDir::toNativeSeparators(current));
}

} // namespace llmf::views
