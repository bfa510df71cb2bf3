#include "lessons/excerptextractor.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <climits>

namespace llmf::views {

namespace {

bool isIdentifierChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_');
}

// Where the symbol starts a definition on this line: "Name(" for functions, "struct Name" / "class Name" /
// "enum [class] Name" for types. -1 when the line does not name it that way.
int definitionStart(const QString &line, const QString &symbol)
{
    static const QRegularExpression typeKeyword(QStringLiteral("\\b(struct|class|enum class|enum)\\s+$"));
    for (int at = line.indexOf(symbol); at >= 0; at = line.indexOf(symbol, at + 1)) {
        const int end = at + symbol.size();
        if (at > 0 && (isIdentifierChar(line[at - 1]) || line[at - 1] == QLatin1Char(':')))
            continue; // part of a longer name, or Other::symbol
        if (end < line.size() && isIdentifierChar(line[end]))
            continue;
        int next = end;
        while (next < line.size() && line[next].isSpace())
            ++next;
        const bool call = next < line.size() && line[next] == QLatin1Char('(');
        const bool type = typeKeyword.match(line.left(at)).hasMatch();
        if (call || type)
            return at;
    }
    return -1;
}

// Counts braces outside comments, string and character literals. Returns the line index where the brace opened
// at or after (line, column) closes, or -1. `sawSemicolonFirst` reports a declaration (";" before any "{").
int matchingBraceLine(const QStringList &lines, int line, int column, bool *sawSemicolonFirst)
{
    int depth = 0;
    bool opened = false;
    bool inBlockComment = false;
    *sawSemicolonFirst = false;
    for (int i = line; i < lines.size(); ++i) {
        const QString &text = lines[i];
        QChar quote;
        for (int c = (i == line ? column : 0); c < text.size(); ++c) {
            const QChar ch = text[c];
            const QChar next = c + 1 < text.size() ? text[c + 1] : QChar();
            if (inBlockComment) {
                if (ch == QLatin1Char('*') && next == QLatin1Char('/'))
                    inBlockComment = false, ++c;
                continue;
            }
            if (!quote.isNull()) {
                if (ch == QLatin1Char('\\'))
                    ++c;
                else if (ch == quote)
                    quote = QChar();
                continue;
            }
            if (ch == QLatin1Char('/') && next == QLatin1Char('/'))
                break;
            if (ch == QLatin1Char('/') && next == QLatin1Char('*')) {
                inBlockComment = true;
                ++c;
            } else if (ch == QLatin1Char('"') || ch == QLatin1Char('\'')) {
                quote = ch;
            } else if (ch == QLatin1Char('{')) {
                ++depth;
                opened = true;
            } else if (ch == QLatin1Char('}')) {
                if (--depth == 0 && opened)
                    return i;
            } else if (ch == QLatin1Char(';') && !opened) {
                *sawSemicolonFirst = true;
                return -1;
            }
        }
    }
    return -1;
}

QString dedent(QStringList lines)
{
    int common = INT_MAX;
    for (const QString &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        int indent = 0;
        while (indent < line.size() && line[indent] == QLatin1Char(' '))
            ++indent;
        common = qMin(common, indent);
    }
    if (common == INT_MAX)
        common = 0;
    for (QString &line : lines)
        line = line.mid(common);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QString extractDefinition(const QString &source, const QString &symbolSpec)
{
    const QStringList lines = source.split(QLatin1Char('\n'));
    if (symbolSpec == QLatin1String("*"))
        return dedent(lines).trimmed();
    // "Generator::generate#2": the second definition (overloads).
    QString symbol = symbolSpec;
    int wanted = 1;
    if (const int hash = symbolSpec.lastIndexOf(QLatin1Char('#')); hash > 0) {
        wanted = symbolSpec.mid(hash + 1).toInt();
        symbol = symbolSpec.left(hash);
        if (wanted < 1)
            return {};
    }
    for (int i = 0; i < lines.size(); ++i) {
        const int at = definitionStart(lines[i], symbol);
        if (at < 0 || lines[i].trimmed().startsWith(QLatin1String("//")))
            continue;
        bool declaration = false;
        const int last = matchingBraceLine(lines, i, at, &declaration);
        if (last < 0)
            continue;
        if (--wanted > 0) {
            i = last;
            continue;
        }
        int first = i;
        // Template headers and the comment that explains the definition belong to it.
        while (first > 0) {
            const QString above = lines[first - 1].trimmed();
            if (!above.startsWith(QLatin1String("//")) && !above.startsWith(QLatin1String("template")))
                break;
            --first;
        }
        QStringList body = lines.mid(first, last - first + 1);
        if (lines[last].trimmed() == QLatin1String("}") && last + 1 < lines.size() &&
            lines[last + 1].trimmed() == QLatin1String(";"))
            body << lines[last + 1];
        return dedent(body);
    }
    return {};
}

bool parseExcerptLine(const QString &line, ExcerptRef *ref)
{
    static const QRegularExpression pattern(QStringLiteral("^@excerpt\\s+(\\S+)\\s+(\\S+)\\s*$"));
    const QRegularExpressionMatch match = pattern.match(line.trimmed());
    if (!match.hasMatch())
        return false;
    ref->path = match.captured(1);
    ref->symbol = match.captured(2);
    return true;
}

QVector<ExcerptRef> excerptReferences(const QString &markdown)
{
    QVector<ExcerptRef> refs;
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        ExcerptRef ref;
        if (parseExcerptLine(line, &ref))
            refs.push_back(ref);
    }
    return refs;
}

QHash<QString, QString> resolveExcerpts(const QString &root, const QVector<ExcerptRef> &refs, QStringList *missing)
{
    QHash<QString, QString> excerpts;
    QHash<QString, QString> sources;
    for (const ExcerptRef &ref : refs) {
        if (excerpts.contains(ref.key()))
            continue;
        if (ref.path.contains(QLatin1String("..")) || QDir::isAbsolutePath(ref.path)) {
            missing->push_back(QStringLiteral("%1: the path must stay inside the repository").arg(ref.key()));
            continue;
        }
        if (!sources.contains(ref.path)) {
            QFile file(QDir(root).filePath(ref.path));
            if (!file.open(QIODevice::ReadOnly)) {
                missing->push_back(QStringLiteral("%1: cannot read %2").arg(ref.key(), file.fileName()));
                continue;
            }
            sources.insert(ref.path, QString::fromUtf8(file.readAll()));
        }
        const QString code = extractDefinition(sources.value(ref.path), ref.symbol);
        if (code.isEmpty())
            missing->push_back(QStringLiteral("%1: no definition of %2 in %3").arg(ref.key(), ref.symbol, ref.path));
        else
            excerpts.insert(ref.key(), code);
    }
    return excerpts;
}

QString fenceLanguage(const QString &path)
{
    if (path.endsWith(QLatin1String(".yaml")) || path.endsWith(QLatin1String(".yml")))
        return QStringLiteral("yaml");
    if (path.endsWith(QLatin1String("CMakeLists.txt")) || path.endsWith(QLatin1String(".cmake")))
        return QStringLiteral("cmake");
    if (path.endsWith(QLatin1String(".py")))
        return QStringLiteral("python");
    if (path.endsWith(QLatin1String(".cpp")) || path.endsWith(QLatin1String(".h")))
        return QStringLiteral("cpp");
    return QStringLiteral("text");
}

} // namespace llmf::views
