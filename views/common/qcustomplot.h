#pragma once

// QCustomPlot's header uses Qt's lower-case keywords (signals, foreach), but the project builds with
// QT_NO_KEYWORDS because LibTorch headers use those words as identifiers. Map them for this header only.
// Include this instead of <qcustomplot.h>.
#ifndef signals
#define LLMF_UNDEF_SIGNALS
#define signals Q_SIGNALS
#endif
#ifndef slots
#define LLMF_UNDEF_SLOTS
#define slots Q_SLOTS
#endif
#ifndef emit
#define LLMF_UNDEF_EMIT
#define emit Q_EMIT
#endif
#ifndef foreach
#define LLMF_UNDEF_FOREACH
#define foreach Q_FOREACH
#endif

#include <qcustomplot.h>

#ifdef LLMF_UNDEF_SIGNALS
#undef signals
#undef LLMF_UNDEF_SIGNALS
#endif
#ifdef LLMF_UNDEF_SLOTS
#undef slots
#undef LLMF_UNDEF_SLOTS
#endif
#ifdef LLMF_UNDEF_EMIT
#undef emit
#undef LLMF_UNDEF_EMIT
#endif
#ifdef LLMF_UNDEF_FOREACH
#undef foreach
#undef LLMF_UNDEF_FOREACH
#endif
