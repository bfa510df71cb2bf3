#include "lessons/actionregistry.h"

namespace llmf::views {

ActionRegistry::ActionRegistry(QObject *parent) : QObject(parent) {}

void ActionRegistry::registerAction(const QString &name, Handler handler)
{
    m_handlers.insert(name, std::move(handler));
}

QStringList ActionRegistry::names() const
{
    QStringList names = m_handlers.keys();
    names.sort();
    return names;
}

QString ActionRegistry::actionName(const QUrl &url)
{
    return url.scheme() == QLatin1String("llmf") ? url.path() : QString();
}

QString ActionRegistry::trigger(const QUrl &url)
{
    const QString name = actionName(url);
    const auto handler = m_handlers.constFind(name);
    QString error;
    if (url.scheme() != QLatin1String("llmf"))
        error = tr("“%1” is not an LLM Foundry action link.").arg(url.toString());
    else if (handler == m_handlers.cend())
        error = tr("The action “%1” does not exist. Known actions: %2.").arg(name, names().join(QStringLiteral(", ")));
    else
        error = handler.value()(QUrlQuery(url));
    if (error.isEmpty())
        Q_EMIT triggered(url);
    else
        Q_EMIT failed(url, error);
    return error;
}

} // namespace llmf::views
