#include "inspector/inspectorcsv.h"

#include "common/plotstyle.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/ropeprobe.h"
#include "llmf/inspect/weightprobe.h"
#include "llmf/model/accounting.h"

#include <QFile>
#include <QStringList>
#include <QTextStream>

#include <functional>

namespace llmf::views {

namespace {

QString num(double v)
{
    return QString::number(v, 'g', 9);
}

bool writeFile(const QString &path, const std::function<void(QTextStream &)> &write)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&file);
    write(out);
    out.flush();
    file.close();
    return file.error() == QFile::NoError;
}

} // namespace

bool writeAttentionCsv(const llmf::AttentionMaps &m, const QString &path)
{
    return writeFile(path, [&m](QTextStream &out) {
        QStringList tokens;
        for (const auto &t : m.tokenTexts)
            tokens << csvField(QString::fromStdString(t));
        out << "layer,head,kv_head,query_position,query_token,key_position,key_token,weight\n";
        for (int l = 0; l < m.layers; ++l)
            for (int h = 0; h < m.heads; ++h)
                for (int q = 0; q < m.tokens; ++q)
                    for (int k = 0; k < m.tokens; ++k)
                        out << l << ',' << h << ',' << m.kvHeadOf(h) << ',' << q << ',' << tokens[q] << ',' << k << ','
                            << tokens[k] << ',' << num(m.at(l, h, q, k)) << '\n';
    });
}

bool writeRopeCsv(const llmf::RopeTables &t, const llmf::RopeRelativeCurve &c, const QString &path)
{
    return writeFile(path, [&t, &c](QTextStream &out) {
        out << "# RoPE speeds (head_dim " << t.headDim << ", theta " << num(t.theta) << ")\n";
        out << "pair,dimension_a,dimension_b,radians_per_token,tokens_per_turn\n";
        for (int i = 0; i < t.pairs; ++i)
            out << i << ',' << i << ',' << i + t.pairs << ',' << num(t.inverseFrequencies[i]) << ','
                << num(t.wavelength(i)) << '\n';
        out << "\n# rotation angles in radians (not wrapped)\nposition,pair,angle\n";
        for (int p = 0; p < t.positions; ++p)
            for (int i = 0; i < t.pairs; ++i)
                out << p << ',' << i << ',' << num(t.angle(p, i)) << '\n';
        out << "\n# a seeded random query vector rotated to each position\nposition,pair,x,y\n";
        for (int p = 0; p < t.positions; ++p)
            for (int i = 0; i < t.pairs; ++i)
                out << p << ',' << i << ',' << num(t.rotatedX(p, i)) << ',' << num(t.rotatedY(p, i)) << '\n';
        out << "\n# relative position: q.k with the key at two absolute positions\n";
        out << "offset,score_key_at_" << c.startA << ",score_key_at_" << c.startB << '\n';
        for (size_t d = 0; d < c.offsets.size(); ++d)
            out << num(c.offsets[d]) << ',' << num(c.scoresA[d]) << ',' << num(c.scoresB[d]) << '\n';
    });
}

bool writeAnatomyCsv(const llmf::ParameterBreakdown &p, const llmf::WeightStats &w, const QString &path)
{
    return writeFile(path, [&p, &w](QTextStream &out) {
        out << "# parameters\npart,count,percent\n";
        for (const auto &[name, count] : p.rows())
            out << csvField(QString::fromStdString(name)) << ',' << count << ','
                << num(p.total > 0 ? 100.0 * double(count) / double(p.total) : 0.0) << '\n';
        out << "total," << p.total << ",100\n";
        out << "\n# RMSNorm gains\nlayer,norm,mean,min,max\n";
        for (int l = 0; l < w.layers; ++l) {
            for (const auto &[name, g] : {std::pair{"input_layernorm", w.inputNormGains[l]},
                                          std::pair{"post_attention_layernorm", w.postAttentionNormGains[l]}})
                out << l << ',' << name << ',' << num(g.mean) << ',' << num(g.min) << ',' << num(g.max) << '\n';
        }
        out << "final,norm," << num(w.finalNormGain.mean) << ',' << num(w.finalNormGain.min) << ','
            << num(w.finalNormGain.max) << '\n';
        out << "\n# weight matrices\nlayer,matrix,frobenius_norm,rms\n";
        for (int l = 0; l < w.layers; ++l)
            for (size_t m = 0; m < w.matrixNames.size(); ++m)
                out << l << ',' << QString::fromStdString(w.matrixNames[m]) << ','
                    << num(w.matrixNorm(l, static_cast<int>(m))) << ','
                    << num(w.matrixRootMeanSquare(l, static_cast<int>(m))) << '\n';
    });
}

} // namespace llmf::views
