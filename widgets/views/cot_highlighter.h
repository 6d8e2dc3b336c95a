// CotHighlighter: colours chain-of-thought text — <think>-style tags and special tokens, and
// LaTeX math in $…$, $$…$$, \(…\) and \[…\] (display math may span lines).
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace distill::widgets {

class CotHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    explicit CotHighlighter(QTextDocument* document);

    const QTextCharFormat& tagFormat() const { return m_tag; }
    const QTextCharFormat& mathFormat() const { return m_math; }

protected:
    void highlightBlock(const QString& text) override;

private:
    // Block states: which math environment is still open at the end of a block.
    enum State { Normal = 0, InParen, InBracket, InDollars };

    QTextCharFormat m_tag;
    QTextCharFormat m_math;
};

}  // namespace distill::widgets
