#pragma once

#include <QLabel>

namespace llmf::views {

// The large bold heading every tool page starts with; one definition so the pages look alike.
inline QLabel *createPageTitle(QWidget *parent)
{
    auto *title = new QLabel(parent);
    QFont font = title->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    title->setFont(font);
    return title;
}

} // namespace llmf::views
