#include "config/wheelguard.h"

#include <QEvent>
#include <QWidget>

namespace llmf::views {

WheelGuard::WheelGuard(QObject *parent) : QObject(parent) {}

void WheelGuard::guard(QWidget *editor)
{
    editor->setFocusPolicy(Qt::StrongFocus);
    editor->installEventFilter(this);
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    // Ignoring the event here lets QApplication hand it on to the parents, up to the scroll area.
    if (event->type() == QEvent::Wheel) {
        if (auto *widget = qobject_cast<QWidget *>(watched); widget && !widget->hasFocus()) {
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace llmf::views
