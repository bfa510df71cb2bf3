#pragma once

#include <QHash>
#include <QObject>
#include <QUrl>
#include <QUrlQuery>

#include <functional>

namespace llmf::views {

// The `llmf:` links of the lessons (lessons/README.md lists them). The window registers one handler per action
// name; a link "llmf:config?preset=small" calls the handler of "config" with the query. Handlers return an empty
// string on success or a sentence saying why the action could not run (shown to the learner).
class ActionRegistry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionRegistry)

public:
    using Handler = std::function<QString(const QUrlQuery &query)>;

    explicit ActionRegistry(QObject *parent = nullptr);

    void registerAction(const QString &name, Handler handler);
    bool isRegistered(const QString &name) const { return m_handlers.contains(name); }
    QStringList names() const;

    static QString actionName(const QUrl &url); // "config" for llmf:config?preset=small

    // Runs the link's action. Returns the error sentence, or an empty string when it ran.
    QString trigger(const QUrl &url);

Q_SIGNALS:
    void triggered(const QUrl &url);
    void failed(const QUrl &url, const QString &message);

private:
    QHash<QString, Handler> m_handlers;
};

} // namespace llmf::views
