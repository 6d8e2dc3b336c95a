// CotHighlighter implementation: a small scanner over each block, carrying open math across lines.
#include "widgets/views/cot_highlighter.h"

#include <QRegularExpression>

namespace distill::widgets {

namespace {
// Group 1: a math opener; group 2: a tag such as <think>, </answer>, <|im_end|> or <｜Assistant｜>.
const QRegularExpression kOpenOrTag(
    QStringLiteral(R"((\$\$|\\\(|\\\[|(?<!\\)\$)|(</?[A-Za-z_][\w:-]*>|<\|[^|<>\s]{1,40}\|>|<｜[^｜<>]{1,40}｜>))"));

QString closerOf(int state)
{
    switch (state) {
    case 1: return QStringLiteral("\\)");
    case 2: return QStringLiteral("\\]");
    case 3: return QStringLiteral("$$");
    default: return {};
    }
}

// Index of the next unescaped single '$' at or after `from`, or -1.
int closingDollar(const QString& text, int from)
{
    for (int i = from; i < text.size(); ++i) {
        if (text[i] == QLatin1Char('\\')) {
            ++i;
            continue;
        }
        if (text[i] == QLatin1Char('$'))
            return i;
    }
    return -1;
}
}  // namespace

CotHighlighter::CotHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
    m_tag.setForeground(QColor(0x7b, 0x1f, 0xa2));
    m_tag.setFontWeight(QFont::Bold);
    m_math.setForeground(QColor(0x00, 0x5f, 0x87));
    m_math.setBackground(QColor(0xea, 0xf4, 0xfb));
}

void CotHighlighter::highlightBlock(const QString& text)
{
    int state = std::max(0, previousBlockState());
    int mathStart = 0;
    int pos = 0;
    while (pos < text.size()) {
        if (state != Normal) {
            const QString closer = closerOf(state);
            const int close = text.indexOf(closer, pos);
            if (close < 0) {
                setFormat(mathStart, int(text.size()) - mathStart, m_math);
                pos = int(text.size());
                break;
            }
            setFormat(mathStart, close + int(closer.size()) - mathStart, m_math);
            pos = close + int(closer.size());
            state = Normal;
            continue;
        }
        const QRegularExpressionMatch m = kOpenOrTag.match(text, pos);
        if (!m.hasMatch())
            break;
        if (m.capturedStart(2) >= 0) {
            setFormat(int(m.capturedStart(2)), int(m.capturedLength(2)), m_tag);
            pos = int(m.capturedEnd(2));
            continue;
        }
        const QString opener = m.captured(1);
        const int start = int(m.capturedStart(1));
        if (opener == QLatin1String("$")) {
            const int close = closingDollar(text, start + 1);
            if (close < 0) {  // a lone dollar (a price, say): not math
                pos = start + 1;
                continue;
            }
            setFormat(start, close + 1 - start, m_math);
            pos = close + 1;
            continue;
        }
        state = opener == QLatin1String("\\(") ? InParen : opener == QLatin1String("\\[") ? InBracket : InDollars;
        mathStart = start;
        pos = int(m.capturedEnd(1));
    }
    if (state != Normal && pos >= text.size() && mathStart < text.size())
        setFormat(mathStart, int(text.size()) - mathStart, m_math);
    setCurrentBlockState(state);
}

}  // namespace distill::widgets
