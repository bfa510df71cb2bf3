#pragma once

#include "llmf/config/configschema.h"

#include <QString>
#include <QtGlobal>

#include <limits>

namespace llmf::views {

// Which editor the Config Studio's form gives a schema field (llmf::configFields()), decided from the field alone.

inline bool isIntType(FieldType type)
{
    return type == FieldType::Int || type == FieldType::OptionalInt;
}

inline bool isOptional(FieldType type)
{
    return type == FieldType::OptionalInt || type == FieldType::OptionalFloat;
}

inline bool isPathField(const FieldSpec &spec)
{
    return spec.type == FieldType::String && QString::fromStdString(spec.key).endsWith(QLatin1String("_path"));
}

// QSpinBox where the schema's range fits an int (most sizes), a 64-bit spin box where it does not (dim, seeds).
inline bool fitsQSpinBox(const FieldSpec &spec)
{
    constexpr double intMin = std::numeric_limits<int>::min();
    constexpr double intMax = std::numeric_limits<int>::max();
    return spec.minimum && spec.maximum && *spec.minimum >= intMin && *spec.maximum <= intMax;
}

inline qint64 schemaMin(const FieldSpec &spec)
{
    return spec.minimum ? static_cast<qint64>(*spec.minimum) : std::numeric_limits<qint64>::min();
}

inline qint64 schemaMax(const FieldSpec &spec)
{
    return spec.maximum && *spec.maximum < 9.2e18 ? static_cast<qint64>(*spec.maximum)
                                                  : std::numeric_limits<qint64>::max();
}

} // namespace llmf::views
