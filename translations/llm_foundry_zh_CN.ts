<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppData</name>
    <message>
        <source>Both %1 and %2 exist; the app uses %2. Move what you need from the first yourself.</source>
        <translation>%1 和 %2 都存在；应用使用 %2。请自行把需要的内容从前者移过来。</translation>
    </message>
    <message>
        <source>Could not move %1 to %2; the app starts with an empty %2.</source>
        <translation>无法把 %1 移到 %2；应用将以空的 %2 启动。</translation>
    </message>
    <message>
        <source>Moved your runs and progress from %1 to %2.</source>
        <translation>已把你的训练运行和进度从 %1 移到 %2。</translation>
    </message>
</context>
<context>
    <name>MemoryFit</name>
    <message>
        <source>RAM</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>GPU memory</source>
        <translation>GPU 显存</translation>
    </message>
    <message>
        <source>This training will not fit: it needs about %1 of %2 (%3 for the weights, gradients and AdamW state, %4 for one batch&apos;s activations), and %5 is available.</source>
        <translation>这次训练放不下：它大约需要 %1 的%2（权重、梯度和 AdamW 状态 %3，一个批次的激活值 %4），而可用的只有 %5。</translation>
    </message>
    <message>
        <source>Set training.batch_size to %1 or less (raise grad_accum_steps to keep the effective batch), or shorten max_seq_len.</source>
        <translation>把 training.batch_size 设为 %1 或更小（提高 grad_accum_steps 以保持等效批大小），或缩短 max_seq_len。</translation>
    </message>
    <message>
        <source>The parameters alone do not fit: make dim, n_layers, vocab_size or ffn_hidden_dim smaller.</source>
        <translation>仅参数本身就放不下：请减小 dim、n_layers、vocab_size 或 ffn_hidden_dim。</translation>
    </message>
</context>
<context>
    <name>llmf::MainMenuBar</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New run…</source>
        <translation>新建运行(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Open run directory…</source>
        <translation>打开运行目录(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Recent runs</source>
        <translation>最近的运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export run to Hugging Face format…</source>
        <translation>导出运行为 Hugging Face 格式(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About LLM Foundry</source>
        <translation>关于 LLM Foundry(&amp;A)</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LLM Foundry %1&lt;/h3&gt;&lt;p&gt;Build, train, inspect and sample a small LLaMA-style model.&lt;/p&gt;&lt;p&gt;LibTorch %2&lt;br&gt;BLAS: %3 (%4)&lt;br&gt;Threads: %5 on %6 physical cores&lt;br&gt;CUDA: %7&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LLM Foundry %1&lt;/h3&gt;&lt;p&gt;构建、训练、检查一个小型 LLaMA 风格模型，并从中采样。&lt;/p&gt;&lt;p&gt;LibTorch %2&lt;br&gt;BLAS：%3（%4）&lt;br&gt;线程：%5（共 %6 个物理核心）&lt;br&gt;CUDA：%7&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n 个设备</numerusform>
        </translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Warning:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;警告：&lt;/b&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About LLM Foundry</source>
        <translation>关于 LLM Foundry</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td&gt;Ctrl+N&lt;/td&gt;&lt;td&gt;New run (Config Studio)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+O&lt;/td&gt;&lt;td&gt;Open a run directory&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Q&lt;/td&gt;&lt;td&gt;Quit (a running training is stopped and saved)&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td&gt;Ctrl+N&lt;/td&gt;&lt;td&gt;新建运行（配置工作室）&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+O&lt;/td&gt;&lt;td&gt;打开运行目录&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Q&lt;/td&gt;&lt;td&gt;退出（正在进行的训练会被停止并保存）&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
</context>
<context>
    <name>llmf::MainWindow</name>
    <message>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Run: %1</source>
        <translation>运行：%1</translation>
    </message>
    <message>
        <source>LLM Foundry</source>
        <translation>LLM Foundry</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <source>Config Studio</source>
        <translation>配置工作室</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message numerus="yes">
        <source>Device: CUDA (%n GPU(s))</source>
        <translation>
            <numerusform>设备：CUDA（%n 个 GPU）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Device: CPU, %n thread(s)</source>
        <translation>
            <numerusform>设备：CPU，%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <source>BLAS: %1</source>
        <translation>BLAS：%1</translation>
    </message>
    <message>
        <source>No run open</source>
        <translation>未打开运行</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Open a run directory</source>
        <translation>打开运行目录</translation>
    </message>
    <message>
        <source>Not a run directory</source>
        <translation>不是运行目录</translation>
    </message>
    <message>
        <source>Choose the run to export</source>
        <translation>选择要导出的运行</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation>训练正在进行</translation>
    </message>
    <message>
        <source>Stop training and save a checkpoint before quitting? You can resume it later.</source>
        <translation>退出前停止训练并保存检查点？之后可以继续训练。</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>演练场</translation>
    </message>
    <message>
        <source>Checklist: “%1” ticked — %2</source>
        <translation>检查清单：已勾选“%1” — %2</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查清单</translation>
    </message>
    <message>
        <source>This action looks at a trained model: train one first (Home → Quick start, about a minute) or open a run directory (File → Open run directory).</source>
        <translation>此操作需要一个已训练的模型：请先训练一个（首页 → 快速开始，约一分钟），或打开一个运行目录（文件 → 打开运行目录）。</translation>
    </message>
    <message>
        <source>There is no page “%1”.</source>
        <translation>不存在页面“%1”。</translation>
    </message>
    <message>
        <source>There is no lesson “%1”.</source>
        <translation>不存在课程“%1”。</translation>
    </message>
    <message>
        <source>A training is already running: stop it first (Training page).</source>
        <translation>已有训练正在进行：请先停止它（训练页面）。</translation>
    </message>
    <message>
        <source>“%1” is not a temperature (a number ≥ 0).</source>
        <translation>“%1”不是有效的温度（应为 ≥ 0 的数字）。</translation>
    </message>
    <message>
        <source>Compare needs at least two temperatures, e.g. temperature=0.1,1.0.</source>
        <translation>比较至少需要两个温度，例如 temperature=0.1,1.0。</translation>
    </message>
    <message>
        <source>Showing the training model as it is at step %1.</source>
        <translation>正在显示训练中的模型（第 %1 步时的状态）。</translation>
    </message>
    <message>
        <source>The preset could not be opened; Config Studio says why.</source>
        <translation>无法打开该预设；原因见配置工作室。</translation>
    </message>
    <message>
        <source>Tokenizer Lab</source>
        <translation>分词器实验室</translation>
    </message>
</context>
<context>
    <name>llmf::views::ActionRegistry</name>
    <message>
        <source>“%1” is not an LLM Foundry action link.</source>
        <translation>“%1”不是 LLM Foundry 的操作链接。</translation>
    </message>
    <message>
        <source>The action “%1” does not exist. Known actions: %2.</source>
        <translation>操作“%1”不存在。已知操作：%2。</translation>
    </message>
</context>
<context>
    <name>llmf::views::AnatomyView</name>
    <message>
        <source>parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>RMSNorm gain</source>
        <translation>RMSNorm 增益</translation>
    </message>
    <message>
        <source>Per element (root mean square) instead of the whole matrix&apos;s norm</source>
        <translation>按元素计算（均方根），而非整个矩阵的范数</translation>
    </message>
    <message>
        <source>Each RMSNorm multiplies every channel by a learned gain, initialised to 1 (dashed). Dots: the mean over channels; bars: the smallest and largest gain.</source>
        <translation>每个 RMSNorm 都会把每个通道乘以一个可学习的增益，初始值为 1（虚线）。圆点：各通道的平均值；误差条：最小和最大增益。</translation>
    </message>
    <message>
        <source>Open a run to see where its parameters are.</source>
        <translation>打开一个运行，查看其参数分布在哪里。</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>feed-forward</source>
        <translation>前馈</translation>
    </message>
    <message>
        <source>block norms</source>
        <translation>块内归一化</translation>
    </message>
    <message>
        <source>final norm</source>
        <translation>最终归一化</translation>
    </message>
    <message>
        <source>%1 parameters in all. Embedding and lm_head grow with the vocabulary, the blocks with dim² × layers.</source>
        <translation>共 %1 个参数。嵌入和 lm_head 随词表增大，各块随 dim² × 层数增大。</translation>
    </message>
    <message>
        <source>before attention (input_layernorm)</source>
        <translation>注意力之前（input_layernorm）</translation>
    </message>
    <message>
        <source>before the FFN (post_attention_layernorm)</source>
        <translation>FFN 之前（post_attention_layernorm）</translation>
    </message>
    <message>
        <source>final</source>
        <translation>最终</translation>
    </message>
    <message>
        <source>root mean square of the weights</source>
        <translation>权重的均方根</translation>
    </message>
    <message>
        <source>Frobenius norm ‖W‖</source>
        <translation>Frobenius 范数 ‖W‖</translation>
    </message>
    <message>
        <source>Per-element size, comparable between matrices of different shapes: 0.02 at initialisation.</source>
        <translation>按元素的大小，可在不同形状的矩阵之间比较：初始化时为 0.02。</translation>
    </message>
    <message>
        <source>Size of each weight matrix, sqrt(Σ w²). Matrices that learned more grow further from their initial N(0, 0.02) values.</source>
        <translation>每个权重矩阵的大小，sqrt(Σ w²)。学到更多的矩阵会离其初始 N(0, 0.02) 值更远。</translation>
    </message>
</context>
<context>
    <name>llmf::views::AttentionGrid</name>
    <message>
        <source>Open a run to see all its attention maps.</source>
        <translation>打开一个运行，查看其所有注意力图。</translation>
    </message>
    <message>
        <source>H%1</source>
        <translation>H%1</translation>
    </message>
    <message>
        <source>kv %1</source>
        <translation>kv %1</translation>
    </message>
    <message>
        <source>L%1</source>
        <translation>L%1</translation>
    </message>
    <message>
        <source>Layer %1, head %2: shares key/value head %3 with heads %4–%5. Click to enlarge.</source>
        <translation>第 %1 层，头 %2：与头 %4–%5 共享键/值头 %3。点击放大。</translation>
    </message>
    <message>
        <source>Layer %1, head %2 (its own key/value head). Click to enlarge.</source>
        <translation>第 %1 层，头 %2（拥有自己的键/值头）。点击放大。</translation>
    </message>
</context>
<context>
    <name>llmf::views::AttentionHeatmap</name>
    <message>
        <source>key: the token being looked at</source>
        <translation>键：被查看的词元</translation>
    </message>
    <message>
        <source>query: the token doing the looking</source>
        <translation>查询：进行查看的词元</translation>
    </message>
    <message>
        <source>attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>future tokens:
masked to 0</source>
        <translation>未来词元：
遮蔽为 0</translation>
    </message>
    <message>
        <source>No map yet: open a run and type a text.</source>
        <translation>暂无注意力图：请打开一个运行并输入文本。</translation>
    </message>
    <message>
        <source>query %1 “%2” → key %3 “%4”: %5</source>
        <translation>查询 %1“%2”→ 键 %3“%4”：%5</translation>
    </message>
    <message>
        <source> (masked: a token cannot see the tokens after it)</source>
        <translation>（已遮蔽：词元无法看到其后的词元）</translation>
    </message>
</context>
<context>
    <name>llmf::views::AttentionView</name>
    <message>
        <source>A single man in possession of a good fortune must be in want of a wife.</source>
        <translation>A single man in possession of a good fortune must be in want of a wife.</translation>
    </message>
    <message>
        <source>Hover over a cell to read its exact weight.</source>
        <translation>将鼠标悬停在单元格上可查看其精确权重。</translation>
    </message>
    <message>
        <source>Text the model reads:</source>
        <translation>模型读取的文本：</translation>
    </message>
    <message>
        <source>&amp;Layer:</source>
        <translation>层(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Head:</source>
        <translation>头(&amp;H)：</translation>
    </message>
    <message>
        <source>Transformer block (0 = closest to the input)</source>
        <translation>Transformer 块（0 = 最靠近输入）</translation>
    </message>
    <message>
        <source>Query head; heads of the same colour share one key/value head (GQA)</source>
        <translation>查询头；同色的头共享一个键/值头（GQA）</translation>
    </message>
    <message>
        <source>&lt;b&gt;All layers × heads&lt;/b&gt; — click a map to enlarge it. Frames of one colour share a key/value head.</source>
        <translation>&lt;b&gt;所有层 × 头&lt;/b&gt; — 点击注意力图可放大。同色边框共享一个键/值头。</translation>
    </message>
    <message>
        <source>Layer %1, head %2 (key/value head %3)</source>
        <translation>第 %1 层，头 %2（键/值头 %3）</translation>
    </message>
    <message>
        <source>  (kv %1)</source>
        <translation>  （kv %1）</translation>
    </message>
    <message>
        <source>GQA: query heads %1–%2 share key/value head %3 (%4 query heads per KV head, %5 KV heads in all).</source>
        <translation>GQA：查询头 %1–%2 共享键/值头 %3（每个 KV 头对应 %4 个查询头，共 %5 个 KV 头）。</translation>
    </message>
    <message>
        <source>Every query head has its own key/value head (multi-head attention).</source>
        <translation>每个查询头都有自己的键/值头（多头注意力）。</translation>
    </message>
</context>
<context>
    <name>llmf::views::BreakdownPanel</name>
    <message>
        <source>embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>feed-forward</source>
        <translation>前馈</translation>
    </message>
    <message>
        <source>block norms</source>
        <translation>块内归一化</translation>
    </message>
    <message>
        <source>final norm</source>
        <translation>最终归一化</translation>
    </message>
    <message>
        <source>lm_head</source>
        <translation>lm_head</translation>
    </message>
    <message>
        <source>Parameters per component</source>
        <translation>各组件参数</translation>
    </message>
    <message>
        <source>Training memory per step</source>
        <translation>每步训练内存</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Counted as</source>
        <translation>计算方式</translation>
    </message>
    <message>
        <source>KV cache at max_seq_len (generation)</source>
        <translation>max_seq_len 下的 KV 缓存（生成）</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>vs MHA</source>
        <translation>相对 MHA</translation>
    </message>
    <message>
        <source>Sizes must be positive to count parameters.</source>
        <translation>尺寸必须为正数才能统计参数。</translation>
    </message>
    <message>
        <source>These sizes are too large to count.</source>
        <translation>这些尺寸太大，无法统计。</translation>
    </message>
    <message>
        <source>%1 parameters (%2)</source>
        <translation>%1 个参数（%2）</translation>
    </message>
    <message>
        <source>%1 layers × %2 per layer · head_dim %3 · FFN hidden %4 · %5% in the embedding and lm_head</source>
        <translation>%1 层 × 每层 %2 · head_dim %3 · FFN 隐藏层 %4 · %5% 位于嵌入和 lm_head</translation>
    </message>
    <message>
        <source>Estimate only: the configuration has problems, and head_dim %1 / %2 is rounded down to %3 here.</source>
        <translation>仅为估算：配置存在问题，此处 head_dim %1 / %2 向下取整为 %3。</translation>
    </message>
    <message>
        <source>Estimate only: the configuration has problems (see the list on the left).</source>
        <translation>仅为估算：配置存在问题（见左侧列表）。</translation>
    </message>
    <message>
        <source>— parameters</source>
        <translation>— 参数</translation>
    </message>
    <message>
        <source>0 (tied to the embedding)</source>
        <translation>0（与嵌入共享权重）</translation>
    </message>
    <message>
        <source>%1 · &lt;0.1%</source>
        <translation>%1 · &lt;0.1%</translation>
    </message>
    <message>
        <source>%1 · %2%</source>
        <translation>%1 · %2%</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>%1 parameters × 4 bytes (float32)</source>
        <translation>%1 个参数 × 4 字节（float32）</translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>one float32 per parameter</source>
        <translation>每个参数一个 float32</translation>
    </message>
    <message>
        <source>AdamW state</source>
        <translation>AdamW 状态</translation>
    </message>
    <message>
        <source>two float32 moments per parameter</source>
        <translation>每个参数两个 float32 矩估计</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>batch %1 × %2 tokens in %3, kept for the backward pass</source>
        <translation>批大小 %1 × %2 个词元，%3 精度，为反向传播保留</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>per micro-batch, before framework overhead</source>
        <translation>每个微批次，不含框架开销</translation>
    </message>
    <message>
        <source>Gradient accumulation (%1 micro-batches) multiplies the tokens per optimiser step, not the memory.</source>
        <translation>梯度累积（%1 个微批次）会成倍增加每个优化器步的词元数，而不会增加内存。</translation>
    </message>
    <message>
        <source>MHA (multi-head)</source>
        <translation>MHA（多头）</translation>
    </message>
    <message>
        <source>GQA (grouped-query)</source>
        <translation>GQA（分组查询）</translation>
    </message>
    <message>
        <source>MQA (multi-query)</source>
        <translation>MQA（多查询）</translation>
    </message>
    <message>
        <source>%1 — configured</source>
        <translation>%1 — 当前配置</translation>
    </message>
    <message>
        <source>One sequence of %1 tokens through %2 layers, head_dim %3, in %4. Fewer KV heads shrink the cache that generation keeps for every sequence.</source>
        <translation>一条 %1 个词元的序列经过 %2 层，head_dim %3，%4 精度。KV 头越少，生成时为每条序列保留的缓存就越小。</translation>
    </message>
    <message>
        <source>Training&apos;s attention keeps no T×T matrices (memory-efficient attention): with them the activations would take %1.</source>
        <translation>训练时的注意力不保留 T×T 矩阵（内存高效注意力）；若保留，激活值将占用 %1。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ChecklistPage</name>
    <message>
        <source>Learning checklist</source>
        <translation>学习检查清单</translation>
    </message>
    <message>
        <source>The guide&apos;s sixteen skills. Tick them by hand, or earn them in the app: finish a training run whose loss falls, compare sampling strategies in the Playground, answer the parameter quiz in Config Studio, train on your own text, or pass a lesson&apos;s self-check.</source>
        <translation>指南中的十六项技能。可以手动勾选，也可以在应用中获得：完成一次损失下降的训练运行、在演练场中比较采样策略、在配置工作室中完成参数测验、用自己的文本训练，或通过某一课的自测。</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>Reset…</source>
        <translation>重置…</translation>
    </message>
    <message>
        <source>Lessons: %1</source>
        <translation>课程：%1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 of %2 (%p%)</source>
        <translation>%1 / %2（%p%）</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <source>Progress could not be saved: %1</source>
        <translation>无法保存进度：%1</translation>
    </message>
    <message>
        <source>Earned %1: %2</source>
        <translation>于 %1 获得：%2</translation>
    </message>
    <message>
        <source>Ticked by hand %1</source>
        <translation>于 %1 手动勾选</translation>
    </message>
    <message>
        <source>Reset the checklist</source>
        <translation>重置检查清单</translation>
    </message>
    <message>
        <source>Untick all sixteen items and forget which lessons you passed?</source>
        <translation>取消勾选全部十六项，并清除已通过课程的记录？</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Export the checklist</source>
        <translation>导出检查清单</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
</context>
<context>
    <name>llmf::views::ChecklistStore</name>
    <message>
        <source>The checklist file %1 could not be read (%2); it was moved to %3 and the checklist starts empty.</source>
        <translation>无法读取检查清单文件 %1（%2）；该文件已移动到 %3，检查清单将从空白开始。</translation>
    </message>
    <message>
        <source>unknown format version</source>
        <translation>未知的格式版本</translation>
    </message>
    <message>
        <source># Learning checklist</source>
        <translation># 学习检查清单</translation>
    </message>
    <message>
        <source>%1 of %2 done.</source>
        <translation>已完成 %1 / %2 项。</translation>
    </message>
</context>
<context>
    <name>llmf::views::CheckpointSlider</name>
    <message>
        <source>Weights from training step:</source>
        <translation>使用训练步的权重：</translation>
    </message>
    <message>
        <source>Drag to see the model as it was at each saved checkpoint, from the untrained model at step 0 to the latest weights.</source>
        <translation>拖动滑块，查看模型在每个已保存检查点时的样子：从第 0 步未训练的模型到最新的权重。</translation>
    </message>
    <message>
        <source>step %1 (latest)</source>
        <translation>第 %1 步（最新）</translation>
    </message>
    <message>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
</context>
<context>
    <name>llmf::views::ComparePanel</name>
    <message>
        <source>Remove this column</source>
        <translation>移除此列</translation>
    </message>
    <message>
        <source>Waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Generated: %1 · %2 tokens/s</source>
        <translation>已生成：%1 · %2 词元/秒</translation>
    </message>
    <message>
        <source>Stopped · generated: %1</source>
        <translation>已停止 · 已生成：%1</translation>
    </message>
    <message>
        <source>Add column</source>
        <translation>添加列</translation>
    </message>
    <message>
        <source>Generate a new column with the current slider settings (up to %1)</source>
        <translation>用当前滑块设置生成新的一列（最多 %1 列）</translation>
    </message>
    <message>
        <source>Run again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>Generate every column again from the current prompt</source>
        <translation>用当前提示词重新生成每一列</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Set the sliders, press “Add column”, change a setting, add another: every column starts from the same prompt and seed, so only the settings differ.</source>
        <translation>设置滑块，点击“添加列”，修改一项设置，再添加一列：每一列都从相同的提示词和种子开始，因此只有设置不同。</translation>
    </message>
    <message>
        <source>Same prompt and seed (%1) in every column. Prompt: “%2”</source>
        <translation>每一列使用相同的提示词和种子（%1）。提示词：“%2”</translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigDiffView</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>原始值</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前值</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) changed since %1:</source>
        <translation>
            <numerusform>相对于 %1，已更改 %n 个键：</numerusform>
        </translation>
    </message>
    <message>
        <source>No changes: this is exactly %1.</source>
        <translation>无更改：与 %1 完全相同。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigForm</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Tokenizers (*.json);;All files (*)</source>
        <translation>分词器 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation>文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Turn this filter off (null in YAML)</source>
        <translation>关闭此过滤器（YAML 中为 null）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a number yet: type e.g. 0.0003 or 3e-4.</source>
        <translation>“%1”还不是数字：请输入例如 0.0003 或 3e-4。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigStudio</name>
    <message>
        <source>dim (%1) is too large to check here: the Config Studio handles widths up to %2.</source>
        <translation>dim（%1）太大，无法在此检查：配置工作室最多支持宽度 %2。</translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation>构成</translation>
    </message>
    <message>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>the defaults</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Could not open the preset &apos;%1&apos;; the configuration is unchanged.
%2</source>
        <translation>无法打开预设“%1”；配置未更改。
%2</translation>
    </message>
    <message>
        <source>Could not open %1; the configuration is unchanged.
%2</source>
        <translation>无法打开 %1；配置未更改。
%2</translation>
    </message>
    <message numerus="yes">
        <source>Not saved: the configuration has %n problem(s); fix them first.</source>
        <translation>
            <numerusform>未保存：配置存在 %n 个问题，请先修复。</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not save %1.
%2</source>
        <translation>无法保存 %1。
%2</translation>
    </message>
    <message>
        <source>Saved %1 (only the keys that differ from the defaults).</source>
        <translation>已保存 %1（仅包含与默认值不同的键）。</translation>
    </message>
    <message>
        <source>Diff (%1)</source>
        <translation>差异 (%1)</translation>
    </message>
    <message>
        <source>File &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>文件 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Preset &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>预设 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>From &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>来自 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>%n 处更改</numerusform>
        </translation>
    </message>
    <message>
        <source>n_heads %1 → %2 and n_kv_heads %3 → %4 (head_dim %5)</source>
        <translation>n_heads %1 → %2，n_kv_heads %3 → %4（head_dim %5）</translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation>放弃更改？</translation>
    </message>
    <message numerus="yes">
        <source>You changed %n key(s) of %1 without saving. Discard these changes?</source>
        <translation>
            <numerusform>您更改了 %1 的 %n 个键但尚未保存。放弃这些更改？</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a configuration</source>
        <translation>打开配置</translation>
    </message>
    <message>
        <source>YAML configurations (*.yaml *.yml);;All files (*)</source>
        <translation>YAML 配置 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save configuration as</source>
        <translation>配置另存为</translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation>测验</translation>
    </message>
    <message>
        <source>%1 names training text outside its own folder (data.file_path: %2). It was not used: a config from someone else could name any file of yours. If you mean that file, choose it yourself with Browse… beside the data file.</source>
        <translation>%1 指定的训练文本位于它自己的文件夹之外（data.file_path：%2），因此未被使用：来自他人的配置可能指向你的任何文件。如果你确实要用那个文件，请用数据文件旁的“浏览…”亲自选择它。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigToolBar</name>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Open a YAML file</source>
        <translation>打开 YAML 文件</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save the keys that differ from the defaults</source>
        <translation>保存与默认值不同的键</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Save to a new YAML file</source>
        <translation>保存到新的 YAML 文件</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Go back to the preset or file this configuration came from</source>
        <translation>恢复到此配置来源的预设或文件</translation>
    </message>
    <message>
        <source>Train this config</source>
        <translation>训练此配置</translation>
    </message>
    <message>
        <source>Open the Training dashboard with this configuration</source>
        <translation>用此配置打开训练面板</translation>
    </message>
    <message>
        <source>Fix the problems listed above the form first</source>
        <translation>请先修复表单上方列出的问题</translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigYamlView</name>
    <message>
        <source>Show all keys</source>
        <translation>显示所有键</translation>
    </message>
    <message>
        <source>Off: only what differs from the defaults, as Save writes it. On: every key with its resolved value, as in a run directory&apos;s config.yaml.</source>
        <translation>关闭：仅显示与默认值不同的部分，即“保存”写入的内容。开启：显示每个键及其解析后的值，与运行目录中的 config.yaml 相同。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the YAML to the clipboard</source>
        <translation>将 YAML 复制到剪贴板</translation>
    </message>
    <message>
        <source># Every key has its default value: Save writes an empty file.
</source>
        <translation># 所有键均为默认值：“保存”将写入空文件。
</translation>
    </message>
    <message>
        <source># Only the keys that differ from the defaults (what Save writes).
</source>
        <translation># 仅包含与默认值不同的键（即“保存”写入的内容）。
</translation>
    </message>
</context>
<context>
    <name>llmf::views::EmbeddingMapView</name>
    <message>
        <source>Every token of the vocabulary is a vector of dim numbers. Here they are drawn on the two directions along which they differ most (principal component analysis); the labelled tokens are the first words the BPE merged, i.e. frequent ones. Tokens the model treats alike end up close. Type a token and press Enter for its nearest neighbours in the full space (cosine similarity). Move the step slider above to watch the map form during training.</source>
        <translation>词表中的每个词元都是一个 dim 维的向量。这里把它们画在彼此差异最大的两个方向上（主成分分析）；带标签的词元是 BPE 最早合并出的单词，也就是常见词。模型对待方式相近的词元会靠在一起。输入一个词元并按回车，可查看它在完整空间中的最近邻（余弦相似度）。拖动上方的步数滑块，可以看到这张图在训练中逐渐成形。</translation>
    </message>
    <message>
        <source>Input embeddings (embed_tokens)</source>
        <translation>输入词嵌入（embed_tokens）</translation>
    </message>
    <message>
        <source>Output layer rows (lm_head)</source>
        <translation>输出层的行（lm_head）</translation>
    </message>
    <message>
        <source>Find a token, e.g. the</source>
        <translation>查找词元，例如 the</translation>
    </message>
    <message>
        <source>principal component 1 (%1 % of the variance)</source>
        <translation>第一主成分（占方差的 %1 %）</translation>
    </message>
    <message>
        <source>principal component 2 (%1 %)</source>
        <translation>第二主成分（%1 %）</translation>
    </message>
    <message>
        <source>Open a run to see its embeddings.</source>
        <translation>打开一个运行即可查看它的词嵌入。</translation>
    </message>
    <message>
        <source>No token “%1” in this vocabulary.</source>
        <translation>词表中没有词元“%1”。</translation>
    </message>
    <message>
        <source>Nearest to “%1” at step %2:</source>
        <translation>第 %2 步时与“%1”最接近的词元：</translation>
    </message>
    <message>
        <source>Step %1: %2 tokens.</source>
        <translation>第 %1 步：%2 个词元。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ExperimentRunner</name>
    <message>
        <source>the run failed: %1</source>
        <translation>运行失败（%1）</translation>
    </message>
    <message>
        <source>A training is already running; stop it first.</source>
        <translation>已有训练正在进行；请先停止它。</translation>
    </message>
    <message>
        <source>An experiment needs at least two values to compare.</source>
        <translation>实验至少需要两个值来进行比较。</translation>
    </message>
    <message>
        <source>%1 = %2: %3</source>
        <translation>%1 = %2：%3</translation>
    </message>
    <message>
        <source>Experiment, run %1 of %2: %3. Finished runs stay on the loss chart as dashed lines.</source>
        <translation>实验，第 %1 次运行（共 %2 次）：%3。已完成的运行会以虚线保留在损失图上。</translation>
    </message>
    <message>
        <source>the run was stopped</source>
        <translation>运行被停止</translation>
    </message>
    <message>
        <source>Experiment finished. Final smoothed loss: %1.</source>
        <translation>实验完成。最终平滑损失：%1。</translation>
    </message>
    <message>
        <source>Experiment ended early: %1.</source>
        <translation>实验提前结束：%1。</translation>
    </message>
</context>
<context>
    <name>llmf::views::GenerationPanel</name>
    <message>
        <source>It is a truth universally acknowledged</source>
        <translation>It is a truth universally acknowledged</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Empty: start from &lt;|endoftext|&gt;, the start of a document</source>
        <translation>留空：从文档开头 &lt;|endoftext|&gt; 开始</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate from the prompt (Ctrl+Enter)</source>
        <translation>根据提示词生成（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop every running generation (Esc)</source>
        <translation>停止所有正在进行的生成（Esc）</translation>
    </message>
    <message>
        <source>Generated text appears here, one coloured span per token. Click a token to see how it was chosen.</source>
        <translation>生成的文本会显示在这里，每个词元一个彩色片段。点击词元可查看它是如何被选中的。</translation>
    </message>
    <message>
        <source>Generating… %1 so far</source>
        <translation>正在生成… 目前 %1</translation>
    </message>
    <message>
        <source>Generated: %1 · %2 tokens/s · prefill %3 ms · seed %4</source>
        <translation>已生成：%1 · %2 词元/秒 · 预填充 %3 毫秒 · 种子 %4</translation>
    </message>
    <message>
        <source> · stopped</source>
        <translation> · 已停止</translation>
    </message>
    <message>
        <source> · ended at &lt;|endoftext|&gt;</source>
        <translation> · 在 &lt;|endoftext|&gt; 处结束</translation>
    </message>
</context>
<context>
    <name>llmf::views::GenerationWorker</name>
    <message>
        <source>Open a trained run first.</source>
        <translation>请先打开一个训练好的运行。</translation>
    </message>
</context>
<context>
    <name>llmf::views::HeadsView</name>
    <message>
        <source>At step %1 no head puts more than half its attention on the previous token yet.</source>
        <translation>到第 %1 步，还没有哪个头把一半以上的注意力放在前一个词元上。</translation>
    </message>
    <message>
        <source>Previous-token heads at step %1: %2.</source>
        <translation>第 %1 步的“前一个词元”头：%2。</translation>
    </message>
    <message>
        <source>What has each attention head learned to do? Every saved checkpoint of the run reads the same probe text, and each head (rows) gets four numbers per step (columns): entropy (how spread its attention is), mean distance (how far back it looks), previous-token score (1 = it always looks at the token just before) and first-token score (attention parked on position 0, a &quot;sink&quot;). Click a cell to open that head&apos;s attention map at that step.</source>
        <translation>每个注意力头学会了做什么？运行保存的每个检查点都读同一段探测文本，每个头（行）在每一步（列）得到四个数：熵（注意力有多分散）、平均距离（往回看多远）、前一个词元得分（1 = 总是看紧挨着的前一个词元）和首词元得分（注意力停在位置 0，即“汇点”）。点击格子可打开该头在这一步的注意力图。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Measure every checkpoint</source>
        <translation>测量所有检查点</translation>
    </message>
    <message>
        <source>Entropy (nats)</source>
        <translation>熵（奈特）</translation>
    </message>
    <message>
        <source>Mean distance (tokens)</source>
        <translation>平均距离（词元）</translation>
    </message>
    <message>
        <source>Previous-token score</source>
        <translation>前一个词元得分</translation>
    </message>
    <message>
        <source>First-token score</source>
        <translation>首词元得分</translation>
    </message>
    <message>
        <source>training step</source>
        <translation>训练步数</translation>
    </message>
    <message>
        <source>Measuring checkpoint %1 of %2…</source>
        <translation>正在测量第 %1 个检查点（共 %2 个）……</translation>
    </message>
    <message>
        <source>Loading the checkpoints…</source>
        <translation>正在加载检查点……</translation>
    </message>
    <message>
        <source>Open a run first.</source>
        <translation>请先打开一个运行。</translation>
    </message>
    <message>
        <source>Measures every head on every saved checkpoint of this run.</source>
        <translation>在这个运行保存的每个检查点上测量每个注意力头。</translation>
    </message>
</context>
<context>
    <name>llmf::views::HomePage</name>
    <message>
        <source>LLM Foundry</source>
        <translation>LLM Foundry</translation>
    </message>
    <message>
        <source>&lt;p&gt;Build, train, inspect and sample a small LLaMA-style language model on your own machine. Every number here comes from the real engine: RMSNorm, rotary position embeddings, grouped-query attention and SwiGLU, trained with AdamW on your CPU or GPU.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Quick start&lt;/b&gt; trains the &lt;i&gt;tiny&lt;/i&gt; preset (1.25M parameters) on six Jane Austen novels in about a minute and shows the loss falling live. &lt;b&gt;Start here&lt;/b&gt; opens the Config Studio, where every setting of the model explains what it costs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;在您自己的机器上构建、训练、检查一个小型 LLaMA 风格语言模型，并从中采样。这里的每个数字都来自真实的引擎：RMSNorm、旋转位置嵌入（RoPE）、分组查询注意力（GQA）和 SwiGLU，在您的 CPU 或 GPU 上用 AdamW 训练。&lt;/p&gt;&lt;p&gt;&lt;b&gt;快速开始&lt;/b&gt;会用简·奥斯汀的六部小说训练 &lt;i&gt;tiny&lt;/i&gt; 预设（1.25M 参数），大约一分钟完成，并实时显示损失下降。&lt;b&gt;从这里开始&lt;/b&gt;会打开配置工作室，模型的每项设置都会说明其代价。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Quick start: train tiny</source>
        <translation>快速开始：训练 tiny</translation>
    </message>
    <message>
        <source>Start here</source>
        <translation>从这里开始</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent runs&lt;/b&gt; (double-click to resume)</source>
        <translation>&lt;b&gt;最近的运行&lt;/b&gt;（双击以继续）</translation>
    </message>
    <message>
        <source>%1 — no evaluation yet</source>
        <translation>%1 — 尚未评估</translation>
    </message>
    <message>
        <source>%1 — best val loss %2</source>
        <translation>%1 — 最佳验证损失 %2</translation>
    </message>
    <message>
        <source>No runs yet: press Quick start.</source>
        <translation>还没有运行：请点击“快速开始”。</translation>
    </message>
</context>
<context>
    <name>llmf::views::InspectorPage</name>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Open run…</source>
        <translation>打开运行…</translation>
    </message>
    <message>
        <source>Choose a run directory: a folder with config.yaml, tokenizer.json and model.safetensors</source>
        <translation>选择一个运行目录：包含 config.yaml、tokenizer.json 和 model.safetensors 的文件夹</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
    <message>
        <source>Anatomy</source>
        <translation>结构</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Save this tab&apos;s charts as an image</source>
        <translation>将此标签页的图表保存为图像</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save the numbers behind this tab&apos;s charts</source>
        <translation>保存此标签页图表背后的数据</translation>
    </message>
    <message>
        <source>Could not open the run %1:
%2</source>
        <translation>无法打开运行 %1：
%2</translation>
    </message>
    <message>
        <source>Could not run the model on this text:
%1</source>
        <translation>无法在此文本上运行模型：
%1</translation>
    </message>
    <message>
        <source>No run open. Open a run directory to look inside its model.</source>
        <translation>未打开运行。打开一个运行目录以查看其模型内部。</translation>
    </message>
    <message>
        <source>%1 — step %2 · dim %3 · %4 layers · %5 query heads sharing %6 key/value heads · head_dim %7 · vocabulary %8 · context %9 tokens</source>
        <translation>%1 — 第 %2 步 · dim %3 · %4 层 · %5 个查询头共享 %6 个键/值头 · head_dim %7 · 词表 %8 · 上下文 %9 个词元</translation>
    </message>
    <message>
        <source>Open a run directory</source>
        <translation>打开运行目录</translation>
    </message>
    <message>
        <source>Could not save the image %1.</source>
        <translation>无法保存图像 %1。</translation>
    </message>
    <message>
        <source>Open a run first: there is nothing to export yet.</source>
        <translation>请先打开一个运行：目前还没有可导出的内容。</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Export PNG</source>
        <translation>导出 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Live model</source>
        <translation>实时模型</translation>
    </message>
    <message>
        <source>Look at the model that is training right now (a snapshot taken between two steps).</source>
        <translation>查看正在训练的模型（在两个训练步之间拍下的快照）。</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>Logit lens</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>The Inspector is still computing; export again in a moment.</source>
        <translation>检查器仍在计算，请稍后再导出。</translation>
    </message>
    <message>
        <source>Opening %1 — loading its weights…</source>
        <translation>正在打开 %1 —— 加载权重…</translation>
    </message>
</context>
<context>
    <name>llmf::views::IssuesPanel</name>
    <message>
        <source>Click an issue to go to its field</source>
        <translation>点击问题以跳转到对应字段</translation>
    </message>
    <message>
        <source>Apply fix</source>
        <translation>应用修复</translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation>修复：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix before training</source>
        <translation>
            <numerusform>训练前需修复 %n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>Suggested fix: %1</source>
        <translation>建议修复：%1</translation>
    </message>
</context>
<context>
    <name>llmf::views::KvCachePanel</name>
    <message>
        <source>Without a KV cache the model recomputes the keys and values of the whole context for every new token; with it, each step only processes the newest token. Both runs use the same prompt, settings and seed. The gap grows with the length of the context%1.</source>
        <translation>没有 KV 缓存时，模型每生成一个新词元都要重新计算整个上下文的键和值；有了它，每一步只需处理最新的词元。两次运行使用相同的提示词、设置和种子。上下文越长，差距越大%1。</translation>
    </message>
    <message>
        <source> (this model&apos;s context holds %1 tokens)</source>
        <translation>（此模型的上下文可容纳 %1 个词元）</translation>
    </message>
    <message>
        <source>Run A/B</source>
        <translation>A/B 运行</translation>
    </message>
    <message>
        <source>Generate twice, with and without the KV cache, and compare the speed</source>
        <translation>分别在使用和不使用 KV 缓存的情况下各生成一次，并比较速度</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>without cache</source>
        <translation>无缓存</translation>
    </message>
    <message>
        <source>with cache</source>
        <translation>有缓存</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <source>With KV cache: &lt;b&gt;%1&lt;/b&gt; tokens/s · without: &lt;b&gt;%2&lt;/b&gt; tokens/s · speed-up &lt;b&gt;%3×&lt;/b&gt; (tokens per run: %4)</source>
        <translation>使用 KV 缓存：&lt;b&gt;%1&lt;/b&gt; 词元/秒 · 不使用：&lt;b&gt;%2&lt;/b&gt; 词元/秒 · 加速 &lt;b&gt;%3×&lt;/b&gt;（每次运行的词元数：%4）</translation>
    </message>
    <message>
        <source>Both produced the same text.</source>
        <translation>两次生成的文本相同。</translation>
    </message>
    <message>
        <source>The texts differ: rounding in the two paths can tip a close choice between tokens.</source>
        <translation>文本不同：两种计算路径中的舍入误差可能会改变词元之间的微小差距。</translation>
    </message>
    <message>
        <source>Not measured yet.</source>
        <translation>尚未测量。</translation>
    </message>
</context>
<context>
    <name>llmf::views::LearningEvidence</name>
    <message>
        <source>you trained a configuration of your own (run %1)</source>
        <translation>你训练了自己的配置（运行 %1）</translation>
    </message>
    <message>
        <source>validation loss %1 at step %2 → %3 at step %4</source>
        <translation>验证损失 %1（第 %2 步）→ %3（第 %4 步）</translation>
    </message>
    <message>
        <source>run %1 finished, %2</source>
        <translation>运行 %1 已完成，%2</translation>
    </message>
    <message>
        <source>run %1 trained on your text %2, %3</source>
        <translation>运行 %1 在你的文本 %2 上完成训练，%3</translation>
    </message>
    <message>
        <source>you compared %1 in the Playground</source>
        <translation>你在演练场中比较了 %1</translation>
    </message>
    <message>
        <source> with </source>
        <translation> 与 </translation>
    </message>
    <message>
        <source>you worked out %1 parameters in Config Studio&apos;s quiz (exact: %2)</source>
        <translation>你在配置工作室的测验中算出了 %1 个参数（精确值：%2）</translation>
    </message>
    <message>
        <source>run %1 trained with %2 processes that averaged their gradients through c10d</source>
        <translation>运行 %1 由 %2 个进程训练，它们通过 c10d 平均梯度</translation>
    </message>
    <message>
        <source>you served %1 requests over the OpenAI-compatible API with continuous batching</source>
        <translation>你通过兼容 OpenAI 的 API、以连续批处理服务了 %1 个请求</translation>
    </message>
    <message>
        <source>you read the residual stream after %1 in the logit lens: after “%2” it already said “%3”</source>
        <translation>你在 logit lens 中读取了%1之后的残差流：在“%2”之后它已经预测为“%3”</translation>
    </message>
    <message>
        <source>the embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <source>block %1</source>
        <translation>第 %1 块</translation>
    </message>
    <message>
        <source>you opened layer %1 head %2&apos;s attention map at step %3 from the Heads tab</source>
        <translation>你从“注意力头”标签页打开了第 %3 步时第 %1 层第 %2 个头的注意力图</translation>
    </message>
</context>
<context>
    <name>llmf::views::LessonsPage</name>
    <message>
        <source>The lesson text %1 is missing from this build.</source>
        <translation>此版本中缺少课程文本 %1。</translation>
    </message>
    <message>
        <source>Checklist: %1</source>
        <translation>检查清单：%1</translation>
    </message>
    <message>
        <source>you answered every self-check question of the lesson “%1”</source>
        <translation>你答对了课程“%1”的全部自测题</translation>
    </message>
    <message>
        <source>Lesson complete — every answer right. The checklist items it serves are ticked.</source>
        <translation>本课完成 — 全部答对。本课对应的检查清单项目已勾选。</translation>
    </message>
    <message>
        <source>← Previous lesson</source>
        <translation>← 上一课</translation>
    </message>
    <message>
        <source>Next lesson →</source>
        <translation>下一课 →</translation>
    </message>
    <message>
        <source>About %1 min</source>
        <translation>约 %1 分钟</translation>
    </message>
    <message>
        <source>%1 · about %2 min</source>
        <translation>%1 · 约 %2 分钟</translation>
    </message>
</context>
<context>
    <name>llmf::views::LogitLensView</name>
    <message>
        <source>embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <source>block %1</source>
        <translation>第 %1 块</translation>
    </message>
    <message>
        <source>What would the model say if it stopped early? Each row decodes the residual stream — after the embeddings, then after each block — through the final RMSNorm and the output layer. A cell shows the most likely next token at that position and its probability (colour); the bottom row is the model&apos;s real prediction. Click a cell for its ten best tokens.</source>
        <translation>如果模型提前停下，它会说什么？每一行都把残差流——词嵌入之后、每个块之后——送进最后的 RMSNorm 和输出层解码。每个格子显示该位置最可能的下一个词元及其概率（颜色）；最下面一行是模型真正的预测。点击格子可查看它的前十个候选词元。</translation>
    </message>
    <message>
        <source>residual size</source>
        <translation>残差流大小</translation>
    </message>
    <message>
        <source>attention added</source>
        <translation>注意力增加的量</translation>
    </message>
    <message>
        <source>feed-forward added</source>
        <translation>前馈层增加的量</translation>
    </message>
    <message>
        <source>after block (0 = embeddings)</source>
        <translation>所在块之后（0 = 词嵌入）</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Type a text on the Attention tab to read it through the logit lens.</source>
        <translation>在“注意力”标签页输入一段文本，即可用 logit lens 逐层读取。</translation>
    </message>
    <message>
        <source>The model&apos;s output predicts the next token of the text at %1 of %2 positions</source>
        <translation>在 %2 个位置中，模型的输出在 %1 个位置上预测对了文本的下一个词元</translation>
    </message>
    <message>
        <source>the embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <source>After “%1”, %2 predicts “%3” (%4 %).</source>
        <translation>在“%1”之后，%2预测为“%3”（%4 %）。</translation>
    </message>
    <message>
        <source>; on average, row %1 (0 = the embeddings) already had it on top.</source>
        <translation>；平均而言，第 %1 行（0 = 词嵌入）就已经把它排在第一。</translation>
    </message>
</context>
<context>
    <name>llmf::views::MessageBanner</name>
    <message>
        <source>Close this message</source>
        <translation>关闭此消息</translation>
    </message>
</context>
<context>
    <name>llmf::views::NextTokenPanel</name>
    <message>
        <source>Raw softmax</source>
        <translation>原始 softmax</translation>
    </message>
    <message>
        <source>all %1 tokens</source>
        <translation>全部 %1 个词元</translation>
    </message>
    <message>
        <source>T = 0: greedy, argmax only</source>
        <translation>T = 0：贪心，仅取 argmax</translation>
    </message>
    <message>
        <source>T = %1</source>
        <translation>T = %1</translation>
    </message>
    <message>
        <source>penalty %1, %2</source>
        <translation>惩罚 %1，%2</translation>
    </message>
    <message>
        <source>After temperature</source>
        <translation>温度之后</translation>
    </message>
    <message>
        <source>After top-k</source>
        <translation>top-k 之后</translation>
    </message>
    <message>
        <source>k = %1</source>
        <translation>k = %1</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>%1 kept</source>
        <translation>保留 %1 个</translation>
    </message>
    <message>
        <source>After top-p</source>
        <translation>top-p 之后</translation>
    </message>
    <message>
        <source>p = %1</source>
        <translation>p = %1</translation>
    </message>
    <message>
        <source>%1 kept (%2%)</source>
        <translation>保留 %1 个（%2%）</translation>
    </message>
    <message>
        <source>Generate, then click a token in the output to see the distribution it was drawn from, stage by stage.</source>
        <translation>先生成，然后点击输出中的词元，逐阶段查看它是从哪个分布中抽取的。</translation>
    </message>
    <message>
        <source>Open a trained run to start.</source>
        <translation>打开一个已训练的运行即可开始。</translation>
    </message>
    <message>
        <source>Token %1 of %2: &lt;b&gt;“%3”&lt;/b&gt; (id %4) was drawn with probability %5%.</source>
        <translation>第 %1 个词元（共 %2 个）：&lt;b&gt;“%3”&lt;/b&gt;（id %4）以 %5% 的概率被抽中。</translation>
    </message>
    <message>
        <source>Its bars are orange.</source>
        <translation>它的条形为橙色。</translation>
    </message>
    <message>
        <source>It is not among the ten most likely tokens before sampling.</source>
        <translation>采样前它不在最可能的十个词元之中。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The charts show the current slider settings&lt;/b&gt;, not those it was generated with.</source>
        <translation>&lt;b&gt;图表显示的是当前滑块设置&lt;/b&gt;，而不是生成它时所用的设置。</translation>
    </message>
    <message>
        <source>Move a slider to see what other settings would do here.</source>
        <translation>移动滑块，看看其他设置在这里会有什么效果。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ParameterQuiz</name>
    <message>
        <source>Fix the configuration first: an invalid model has no parameter count.</source>
        <translation>请先修复配置：无效的模型没有参数量。</translation>
    </message>
    <message>
        <source>Type a number such as 7078144, 7,078,144 or 7.08M.</source>
        <translation>请输入一个数字，例如 7078144、7,078,144 或 7.08M。</translation>
    </message>
    <message>
        <source>✔ Right: %1 parameters.</source>
        <translation>✔ 正确：%1 个参数。</translation>
    </message>
    <message>
        <source>✘ %1 is %2 by %3 %. Hint: count the embedding, then one block (four attention projections, three feed-forward matrices, two norm gains), times the layers, plus the final norm and the output layer.</source>
        <translation>✘ %1 %2了 %3%。提示：先算嵌入，再算一个块（四个注意力投影、三个前馈矩阵、两个归一化增益），乘以层数，再加上最终归一化和输出层。</translation>
    </message>
    <message>
        <source>too high</source>
        <translation>偏高</translation>
    </message>
    <message>
        <source>too low</source>
        <translation>偏低</translation>
    </message>
    <message>
        <source>embedding V×C = %1×%2 = %3</source>
        <translation>嵌入 V×C = %1×%2 = %3</translation>
    </message>
    <message>
        <source>attention per layer C×(H·D) + 2·C×(KV·D) + (H·D)×C = %1</source>
        <translation>每层注意力 C×(H·D) + 2·C×(KV·D) + (H·D)×C = %1</translation>
    </message>
    <message>
        <source>feed-forward per layer 3×C×F = 3×%1×%2 = %3</source>
        <translation>每层前馈 3×C×F = 3×%1×%2 = %3</translation>
    </message>
    <message>
        <source>norms per layer 2×C = %1; × %2 layers = %3</source>
        <translation>每层归一化 2×C = %1；× %2 层 = %3</translation>
    </message>
    <message>
        <source>final norm C = %1; output layer V×C = %2 (0 when tied)</source>
        <translation>最终归一化 C = %1；输出层 V×C = %2（与嵌入共享权重时为 0）</translation>
    </message>
    <message>
        <source>How many parameters does this model have? Work it out from the dimensions (no biases; head_dim D = C / H; SwiGLU hidden F), then check.</source>
        <translation>这个模型有多少个参数？请根据各个维度算出来（无偏置；head_dim D = C / H；SwiGLU 隐藏层维度 F），然后检查答案。</translation>
    </message>
    <message>
        <source>V (vocab) = &lt;b&gt;%1&lt;/b&gt;, C (dim) = &lt;b&gt;%2&lt;/b&gt;, L (layers) = &lt;b&gt;%3&lt;/b&gt;, H (heads) = &lt;b&gt;%4&lt;/b&gt;, KV (key/value heads) = &lt;b&gt;%5&lt;/b&gt;, D = &lt;b&gt;%6&lt;/b&gt;, F = &lt;b&gt;%7&lt;/b&gt;, tied embeddings: &lt;b&gt;%8&lt;/b&gt;</source>
        <translation>V（词表）= &lt;b&gt;%1&lt;/b&gt;，C（dim）= &lt;b&gt;%2&lt;/b&gt;，L（层数）= &lt;b&gt;%3&lt;/b&gt;，H（头数）= &lt;b&gt;%4&lt;/b&gt;，KV（键/值头数）= &lt;b&gt;%5&lt;/b&gt;，D = &lt;b&gt;%6&lt;/b&gt;，F = &lt;b&gt;%7&lt;/b&gt;，嵌入共享权重：&lt;b&gt;%8&lt;/b&gt;</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>e.g. 7.08M</source>
        <translation>例如 7.08M</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
</context>
<context>
    <name>llmf::views::PathEdit</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>选择文件</translation>
    </message>
</context>
<context>
    <name>llmf::views::PlaygroundHeader</name>
    <message>
        <source>Playground</source>
        <translation>演练场</translation>
    </message>
    <message>
        <source>Open run…</source>
        <translation>打开运行…</translation>
    </message>
    <message>
        <source>Live model</source>
        <translation>实时模型</translation>
    </message>
    <message>
        <source>Sample from the model that is training right now (a snapshot taken between two steps).</source>
        <translation>从正在训练的模型中采样（在两个训练步之间拍下的快照）。</translation>
    </message>
    <message>
        <source>Open a run directory (config.yaml, tokenizer.json, model.safetensors)</source>
        <translation>打开运行目录（config.yaml、tokenizer.json、model.safetensors）</translation>
    </message>
    <message>
        <source>Opening &lt;b&gt;%1&lt;/b&gt;…</source>
        <translation>正在打开 &lt;b&gt;%1&lt;/b&gt;…</translation>
    </message>
    <message>
        <source>No run open.</source>
        <translation>未打开运行。</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · step %2 · %3 M parameters · vocabulary %4 · context %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · 第 %2 步 · %3 M 参数 · 词表 %4 · 上下文 %5</translation>
    </message>
</context>
<context>
    <name>llmf::views::PlaygroundPage</name>
    <message>
        <source>Next token</source>
        <translation>下一个词元</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>KV cache A/B</source>
        <translation>KV 缓存 A/B</translation>
    </message>
    <message>
        <source>Open run directory</source>
        <translation>打开运行目录</translation>
    </message>
    <message>
        <source>Could not open the run in “%1”:
%2</source>
        <translation>无法打开“%1”中的运行：
%2</translation>
    </message>
    <message>
        <source>Outside the controls&apos; range, so moved to the nearest allowed value: %1.</source>
        <translation>超出控件范围，已调整为最接近的允许值：%1。</translation>
    </message>
    <message>
        <source>Open a trained run first (“Open run…”).</source>
        <translation>请先打开一个已训练的运行（“打开运行…”）。</translation>
    </message>
    <message>
        <source>Serve</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
</context>
<context>
    <name>llmf::views::PrecisionPanel</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Compare precisions</source>
        <translation>比较精度</translation>
    </message>
    <message>
        <source>Size on disk</source>
        <translation>磁盘大小</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Same next token as fp32</source>
        <translation>与 fp32 相同的下一个词元</translation>
    </message>
    <message>
        <source>tokens/s (batch 1, KV cache)</source>
        <translation>词元/秒（批大小 1，KV 缓存）</translation>
    </message>
    <message>
        <source>%1 — the same tokens as fp32</source>
        <translation>%1 —— 与 fp32 的词元完全相同</translation>
    </message>
    <message>
        <source>%1 — parts from fp32 at token %2</source>
        <translation>%1 —— 从第 %2 个词元起与 fp32 不同</translation>
    </message>
    <message>
        <source>Open a trained run first.</source>
        <translation>请先打开一个训练好的运行。</translation>
    </message>
    <message>
        <source>Measuring %1 of 3…</source>
        <translation>正在测量第 %1 个（共 3 个）……</translation>
    </message>
    <message>
        <source>int8: %1× the speed at %2 % of the size; int4: %3× at %4 %.</source>
        <translation>int8：速度 %1×，大小为 %2 %；int4：速度 %3×，大小为 %4 %。</translation>
    </message>
    <message>
        <source>No perplexity: %1</source>
        <translation>无法计算困惑度：%1</translation>
    </message>
    <message>
        <source>Uses the prompt, settings and seed of the Playground.</source>
        <translation>使用 Playground 的提示词、设置和随机种子。</translation>
    </message>
    <message>
        <source>The same model with its weights stored in 32-bit floats, in 8-bit integers and in 4-bit integers (one scale per group of 32 weights; int4 also rounds each layer&apos;s input to 8 bits and multiplies integers, as llama.cpp does). Decoding reads every weight once per token, so fewer bytes mean more tokens per second; the price is rounding, measured here as perplexity on the run&apos;s validation text and as how often each precision picks the token fp32 picks.</source>
        <translation>同一个模型，权重分别以 32 位浮点数、8 位整数和 4 位整数存储（每 32 个权重一组，共用一个缩放因子；int4 还会像 llama.cpp 那样，把每一层的输入舍入到 8 位，再做整数乘法）。解码每生成一个词元都要把每个权重读一遍，所以字节越少，每秒词元越多；代价是舍入误差，这里用运行验证文本上的困惑度，以及各精度与 fp32 选出同一个词元的比例来衡量。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ProbabilityLegend</name>
    <message>
        <source>Probability of each sampled token:</source>
        <translation>每个采样词元的概率：</translation>
    </message>
</context>
<context>
    <name>llmf::views::QuizPanel</name>
    <message>
        <source>✔ Right. %1</source>
        <translation>✔ 正确。%1</translation>
    </message>
    <message>
        <source>✘ Not quite — think it through and try another answer.</source>
        <translation>✘ 不太对 — 再想一想，换个答案试试。</translation>
    </message>
    <message>
        <source>Check yourself</source>
        <translation>自测</translation>
    </message>
</context>
<context>
    <name>llmf::views::RopeView</name>
    <message>
        <source>&amp;Pair:</source>
        <translation>维度对(&amp;P)：</translation>
    </message>
    <message>
        <source>P&amp;osition:</source>
        <translation>位置(&amp;O)：</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Wrap angles to one turn (0 … 2π)</source>
        <translation>将角度折回一圈内（0 … 2π）</translation>
    </message>
    <message>
        <source>dimension pair i</source>
        <translation>维度对 i</translation>
    </message>
    <message>
        <source>radians per token (log)</source>
        <translation>每个词元的弧度（对数）</translation>
    </message>
    <message>
        <source>θ^(−2i/d)</source>
        <translation>θ^(−2i/d)</translation>
    </message>
    <message>
        <source>one turn over the whole context</source>
        <translation>整个上下文转一圈</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>dimension pair</source>
        <translation>维度对</translation>
    </message>
    <message>
        <source>angle (rad)</source>
        <translation>角度（弧度）</translation>
    </message>
    <message>
        <source>dimension i</source>
        <translation>维度 i</translation>
    </message>
    <message>
        <source>dimension i + d/2</source>
        <translation>维度 i + d/2</translation>
    </message>
    <message>
        <source>offset: query position − key position (tokens)</source>
        <translation>偏移：查询位置 − 键位置（词元）</translation>
    </message>
    <message>
        <source>q · k after RoPE</source>
        <translation>RoPE 之后的 q · k</translation>
    </message>
    <message>
        <source>Each pair of dimensions turns at its own speed: pair 0 by one radian per token, the last pairs so slowly that they barely move within the context.</source>
        <translation>每对维度以各自的速度旋转：第 0 对每个词元转一弧度，最后几对转得极慢，在上下文内几乎不动。</translation>
    </message>
    <message>
        <source>Rotation angle position × speed for every pair: fast pairs cycle quickly (stripes), slow ones change smoothly. The dashed line is the selected position.</source>
        <translation>每对维度的旋转角度 = 位置 × 速度：快的维度对循环很快（条纹），慢的变化平缓。虚线为所选位置。</translation>
    </message>
    <message>
        <source>P&amp;osition: %1</source>
        <translation>位置(&amp;O)：%1</translation>
    </message>
    <message>
        <source>Open a run to see RoPE turn a query vector.</source>
        <translation>打开一个运行，查看 RoPE 如何旋转查询向量。</translation>
    </message>
    <message>
        <source>Pair %1 = dimensions (%2, %3) of a query vector turns %4 rad per token (a full turn every %5 tokens). At position %6 it has turned %7 rad = %8 turns. Its length never changes.</source>
        <translation>第 %1 对 = 查询向量的维度（%2，%3），每个词元旋转 %4 弧度（每 %5 个词元转一整圈）。在位置 %6 处已旋转 %7 弧度 = %8 圈。其长度始终不变。</translation>
    </message>
    <message>
        <source>key at position %1</source>
        <translation>位置 %1 处的键</translation>
    </message>
    <message>
        <source>The same query and key, placed at two different absolute positions: the score depends only on how far apart they are. Largest difference: %1.</source>
        <translation>相同的查询和键放在两个不同的绝对位置：得分只取决于它们相距多远。最大差值：%1。</translation>
    </message>
</context>
<context>
    <name>llmf::views::SamplingControls</name>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>T %1</source>
        <translation>T %1</translation>
    </message>
    <message>
        <source>top-k %1</source>
        <translation>top-k %1</translation>
    </message>
    <message>
        <source>top-k off</source>
        <translation>top-k 关闭</translation>
    </message>
    <message>
        <source>top-p %1</source>
        <translation>top-p %1</translation>
    </message>
    <message>
        <source>top-p off</source>
        <translation>top-p 关闭</translation>
    </message>
    <message>
        <source>penalty %1</source>
        <translation>惩罚 %1</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Precise</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>Temperature 0.3, top-k 50, top-p 0.9: focused, repeatable text</source>
        <translation>温度 0.3，top-k 50，top-p 0.9：专注、可复现的文本</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Temperature 0.8, top-k 50, top-p 0.9: the defaults</source>
        <translation>温度 0.8，top-k 50，top-p 0.9：默认值</translation>
    </message>
    <message>
        <source>Creative</source>
        <translation>创意</translation>
    </message>
    <message>
        <source>Temperature 1.2, top-p 0.95, top-k off: varied, sometimes odd text</source>
        <translation>温度 1.2，top-p 0.95，top-k 关闭：多样、有时古怪的文本</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Divides the logits before the softmax. Below 1 sharpens the distribution, above 1 flattens it; 0 always picks the most likely token (greedy).</source>
        <translation>在 softmax 之前用它除 logits。小于 1 使分布更尖锐，大于 1 使其更平坦；0 总是选取最可能的词元（贪心）。</translation>
    </message>
    <message>
        <source>0 (greedy)</source>
        <translation>0（贪心）</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Keep only the k most likely tokens, then renormalise.</source>
        <translation>只保留最可能的 k 个词元，然后重新归一化。</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Turn top-k off: every token stays a candidate</source>
        <translation>关闭 top-k：每个词元都保留为候选</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Nucleus sampling: keep the smallest set of most likely tokens whose probabilities add up to at least p, then renormalise.</source>
        <translation>核采样：保留概率之和至少为 p 的最小最可能词元集合，然后重新归一化。</translation>
    </message>
    <message>
        <source>Turn top-p off</source>
        <translation>关闭 top-p</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大新词元数</translation>
    </message>
    <message>
        <source>How many tokens to generate at most; generation also ends at &lt;|endoftext|&gt;.</source>
        <translation>最多生成多少个词元；遇到 &lt;|endoftext|&gt; 时生成也会结束。</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Above 1 makes tokens already in the context less likely (1 = off); below 1 makes them more likely.</source>
        <translation>大于 1 会降低上下文中已出现词元的概率（1 = 关闭）；小于 1 则会提高其概率。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>The sampler&apos;s random seed: the same seed, settings and prompt give the same text.</source>
        <translation>采样器的随机种子：相同的种子、设置和提示词会生成相同的文本。</translation>
    </message>
    <message>
        <source>Fix seed</source>
        <translation>固定种子</translation>
    </message>
    <message>
        <source>Unchecked: every generation draws a new random seed (shown here).</source>
        <translation>未勾选：每次生成都会抽取新的随机种子（显示在此处）。</translation>
    </message>
    <message>
        <source>Use KV cache</source>
        <translation>使用 KV 缓存</translation>
    </message>
    <message>
        <source>Keep the keys and values of earlier tokens instead of recomputing the whole context for every new token. Same text, much faster for long outputs.</source>
        <translation>保留先前词元的键和值，而不是为每个新词元重新计算整个上下文。生成的文本相同，长输出时快得多。</translation>
    </message>
    <message>
        <source>temperature %1</source>
        <translation>温度 %1</translation>
    </message>
    <message>
        <source>max new tokens %1</source>
        <translation>最大新词元数 %1</translation>
    </message>
    <message>
        <source>repetition penalty %1</source>
        <translation>重复惩罚 %1</translation>
    </message>
    <message>
        <source>seed %1</source>
        <translation>种子 %1</translation>
    </message>
    <message>
        <source>max tokens %1</source>
        <translation>最大词元数 %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sampling&lt;/b&gt;</source>
        <translation>&lt;b&gt;采样&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;How the next token is chosen&lt;/b&gt;&lt;ol style=&apos;margin-left:-20px&apos;&gt;&lt;li&gt;The model scores every token of the vocabulary; softmax turns the scores into probabilities.&lt;/li&gt;&lt;li&gt;The repetition penalty lowers tokens already in the context.&lt;/li&gt;&lt;li&gt;Temperature sharpens (below 1) or flattens (above 1) the distribution.&lt;/li&gt;&lt;li&gt;Top-k keeps the k most likely tokens, top-p the fewest whose probabilities add up to p.&lt;/li&gt;&lt;li&gt;One token is drawn from what is left, with the seeded random generator.&lt;/li&gt;&lt;/ol&gt;Click a token in the output to see these stages for it, then move a slider.</source>
        <translation>&lt;b&gt;下一个词元是如何选出的&lt;/b&gt;&lt;ol style=&apos;margin-left:-20px&apos;&gt;&lt;li&gt;模型为词表中的每个词元打分；softmax 把分数转换为概率。&lt;/li&gt;&lt;li&gt;重复惩罚会降低上下文中已出现词元的概率。&lt;/li&gt;&lt;li&gt;温度使分布更尖锐（小于 1）或更平坦（大于 1）。&lt;/li&gt;&lt;li&gt;top-k 保留最可能的 k 个词元，top-p 保留概率之和达到 p 的最少词元。&lt;/li&gt;&lt;li&gt;用带种子的随机数生成器从剩余词元中抽取一个。&lt;/li&gt;&lt;/ol&gt;点击输出中的一个词元查看它的这些阶段，然后移动滑块。</translation>
    </message>
</context>
<context>
    <name>llmf::views::ServePanel</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>done (stop)</source>
        <translation>完成（停止）</translation>
    </message>
    <message>
        <source>done (length)</source>
        <translation>完成（长度）</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>error</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>Stop server</source>
        <translation>停止服务器</translation>
    </message>
    <message>
        <source>Start server</source>
        <translation>启动服务器</translation>
    </message>
    <message>
        <source>Serving at &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>正在服务：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Open a run to serve it.</source>
        <translation>打开一个运行即可提供服务。</translation>
    </message>
    <message>
        <source>Not serving.</source>
        <translation>未在服务。</translation>
    </message>
    <message>
        <source>Serve the open run to real clients over OpenAI&apos;s API (what &lt;code&gt;llmf serve&lt;/code&gt; does): every request that arrives joins the running batch, and all of them advance one token per step together (continuous batching). Send a few requests at once and watch the batch size.</source>
        <translation>通过 OpenAI 的 API 把当前打开的运行提供给真实的客户端（即 &lt;code&gt;llmf serve&lt;/code&gt; 所做的事）：每个到达的请求都会加入正在运行的批次，所有请求每一步一起前进一个词元（连续批处理）。同时发送几个请求，观察批大小的变化。</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>0 picks a free port</source>
        <translation>0 表示自动选择空闲端口</translation>
    </message>
    <message>
        <source>Max batch:</source>
        <translation>最大批大小：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>running batch size</source>
        <translation>运行中的批大小</translation>
    </message>
</context>
<context>
    <name>llmf::views::TokenView</name>
    <message>
        <source>&lt; 10%</source>
        <translation>&lt; 10%</translation>
    </message>
    <message>
        <source>10–30%</source>
        <translation>10–30%</translation>
    </message>
    <message>
        <source>30–60%</source>
        <translation>30–60%</translation>
    </message>
    <message>
        <source>60–90%</source>
        <translation>60–90%</translation>
    </message>
    <message>
        <source>≥ 90%</source>
        <translation>≥ 90%</translation>
    </message>
    <message>
        <source>Token %1 “%2” (id %3)
Probability when sampled: %4%
Click to see how it was chosen.</source>
        <translation>词元 %1“%2”（id %3）
采样时的概率：%4%
点击查看它是如何被选中的。</translation>
    </message>
</context>
<context>
    <name>llmf::views::TokenizerLabPage</name>
    <message>
        <source>trained here on %1</source>
        <translation>在此用 %1 训练</translation>
    </message>
    <message>
        <source>Merge 0 of %1: every byte is a token.</source>
        <translation>第 0 次合并（共 %1 次）：每个字节都是一个词元。</translation>
    </message>
    <message>
        <source>Merge %1 of %2: “%3” + “%4” → “%5”</source>
        <translation>第 %1 次合并（共 %2 次）：“%3” + “%4” → “%5”</translation>
    </message>
    <message>
        <source> (the pair was seen %1 times)</source>
        <translation>（这对词元出现了 %1 次）</translation>
    </message>
    <message>
        <source>“%1” · id %2 · bytes %3· merge %4</source>
        <translation>“%1” · id %2 · 字节 %3· 第 %4 次合并</translation>
    </message>
    <message>
        <source>“%1” · id %2 · byte %3· a single byte</source>
        <translation>“%1” · id %2 · 字节 %3· 单个字节</translation>
    </message>
    <message>
        <source>%1 (this tokenizer has %2)</source>
        <translation>%1（这个分词器只有 %2）</translation>
    </message>
    <message>
        <source>Tokenizer Lab</source>
        <translation>分词器实验室</translation>
    </message>
    <message>
        <source>A tokenizer cuts text into the pieces the model reads. Byte-level BPE starts from the 256 bytes and learns merges: again and again it joins the most frequent neighbouring pair into a new token. Type below, replay the merges one by one and watch the text fall into fewer, longer tokens; hover a token for its bytes, id and the merge that made it.</source>
        <translation>分词器把文本切成模型读取的片段。字节级 BPE 从 256 个字节出发学习合并：一次又一次地把最常见的相邻词元对合成一个新词元。在下面输入文本，一步步重放合并，看文本被切成越来越少、越来越长的词元；把鼠标停在词元上可以看到它的字节、id 以及生成它的那次合并。</translation>
    </message>
    <message>
        <source>Tokenizer: bytes only (open a run or train one)</source>
        <translation>分词器：仅字节（打开一个运行或训练一个）</translation>
    </message>
    <message>
        <source>Tokenizer: %1 · %2 tokens</source>
        <translation>分词器：%1 · %2 个词元</translation>
    </message>
    <message>
        <source>Use the open run&apos;s tokenizer</source>
        <translation>使用已打开运行的分词器</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>训练中……</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Vocabulary size to train</source>
        <translation>要训练的词表大小</translation>
    </message>
    <message>
        <source>Corpus to train on (its first 3 MB)</source>
        <translation>用于训练的语料（取前 3 MB）</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>%1 tokens · %2 bytes per token</source>
        <translation>%1 个词元 · 每个词元 %2 字节</translation>
    </message>
    <message>
        <source>The same sentences at four vocabulary sizes (the first merges of this tokenizer):</source>
        <translation>同样的句子在四种词表大小下的切分（取这个分词器最早的那些合并）：</translation>
    </message>
    <message>
        <source>English, as tokens</source>
        <translation>英文句子的词元</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>English: tokens · bytes/token</source>
        <translation>英文：词元数 · 字节/词元</translation>
    </message>
    <message>
        <source>Chinese: tokens · characters/token</source>
        <translation>中文：词元数 · 字符/词元</translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingCharts</name>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss (nats)</source>
        <translation>损失（nats）</translation>
    </message>
    <message>
        <source>train loss (each step)</source>
        <translation>训练损失（每步）</translation>
    </message>
    <message>
        <source>train loss (smoothed)</source>
        <translation>训练损失（平滑）</translation>
    </message>
    <message>
        <source>eval: train</source>
        <translation>评估：训练集</translation>
    </message>
    <message>
        <source>eval: validation</source>
        <translation>评估：验证集</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>Expected first loss: ln(vocab) = %1 (a uniform guess among all tokens)</source>
        <translation>预期初始损失：ln(vocab) = %1（在所有词元中均匀猜测）</translation>
    </message>
    <message>
        <source>all-reduce, % of step</source>
        <translation>all-reduce 占步时 %</translation>
    </message>
    <message>
        <source>all ranks</source>
        <translation>所有进程</translation>
    </message>
    <message>
        <source>rank %1</source>
        <translation>进程 %1</translation>
    </message>
    <message>
        <source>all-reduce share</source>
        <translation>all-reduce 占比</translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingControlBar</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Train the Config Studio&apos;s configuration in a new run directory</source>
        <translation>在新的运行目录中训练配置工作室的配置</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop after the current step and save a checkpoint</source>
        <translation>在当前步结束后停止并保存检查点</translation>
    </message>
    <message>
        <source>Resume run…</source>
        <translation>恢复运行…</translation>
    </message>
    <message>
        <source>&amp;Processes:</source>
        <translation>进程数(&amp;P)：</translation>
    </message>
    <message>
        <source>Data-parallel training: this many worker processes, each with its share of the cores, average their gradients after every step (PyTorch&apos;s c10d over Gloo). 1 trains in the app itself, with samples and the live model.</source>
        <translation>数据并行训练：启动这么多个工作进程，各自分得一部分 CPU 核心，每一步之后平均它们的梯度（PyTorch 的 c10d，经由 Gloo）。设为 1 时在应用内部训练，可以生成样本并查看实时模型。</translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>step %1/%2 · loss %3 · %4 tok/s · ETA %5</source>
        <translation>步 %1/%2 · 损失 %3 · %4 词元/秒 · 预计剩余 %5</translation>
    </message>
    <message numerus="yes">
        <source> · %n thread(s)</source>
        <translation>
            <numerusform> · %n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <source>Training uses fewer threads while other programs keep the cores busy, and all of them again when the machine is idle.</source>
        <translation>当其他程序占用 CPU 核心时，训练会减少线程数；机器空闲时再用回全部线程。</translation>
    </message>
    <message numerus="yes">
        <source> · %n processes, all-reduce %1% of the step</source>
        <translation>
            <numerusform> · %n 个进程，all-reduce 占每步 %1%</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingDashboard</name>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>&lt;b&gt;Samples during training&lt;/b&gt;</source>
        <translation>&lt;b&gt;训练期间的采样&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Sample every N steps (0 = off):</source>
        <translation>每 N 步采样一次（0 = 关闭）：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Log&lt;/b&gt;</source>
        <translation>&lt;b&gt;日志&lt;/b&gt;</translation>
    </message>
    <message>
        <source>— step %1 —</source>
        <translation>— 第 %1 步 —</translation>
    </message>
    <message>
        <source>Checkpoint saved at step %1 in %2</source>
        <translation>已在第 %1 步保存检查点到 %2</translation>
    </message>
    <message>
        <source>Paused at step %1</source>
        <translation>已在第 %1 步暂停</translation>
    </message>
    <message>
        <source>Configuration: %1 — %2 parameters, %3 steps of %4 × %5 tokens</source>
        <translation>配置：%1 — %2 个参数，%3 步，每步 %4 × %5 个词元</translation>
    </message>
    <message>
        <source>Configuration: %1 is not valid; fix it in the Config Studio.</source>
        <translation>配置：%1 无效，请在配置工作室中修复。</translation>
    </message>
    <message>
        <source>Starting %1 in %2</source>
        <translation>正在 %2 中启动 %1</translation>
    </message>
    <message>
        <source>Preparing data…</source>
        <translation>正在准备数据…</translation>
    </message>
    <message>
        <source>Resuming %1</source>
        <translation>正在恢复 %1</translation>
    </message>
    <message>
        <source>Stopping: finishing the current step and saving a checkpoint…</source>
        <translation>正在停止：完成当前步并保存检查点…</translation>
    </message>
    <message>
        <source>step %1: train loss %2, val loss %3</source>
        <translation>第 %1 步：训练损失 %2，验证损失 %3</translation>
    </message>
    <message>
        <source>Training finished. Run directory: %1</source>
        <translation>训练完成。运行目录：%1</translation>
    </message>
    <message>
        <source>Training stopped; the checkpoint in %1 can be resumed.</source>
        <translation>训练已停止；可从 %1 中的检查点恢复。</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Resume a run directory</source>
        <translation>恢复运行目录</translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>training.png</source>
        <translation>training.png</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation>导出指标</translation>
    </message>
    <message>
        <source>metrics.csv</source>
        <translation>metrics.csv</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingWorker</name>
    <message>
        <source>Stopped at step %1; saving a checkpoint.</source>
        <translation>已在第 %1 步停止；正在保存检查点。</translation>
    </message>
    <message>
        <source>Training with several processes needs the llmf program next to this app (%1).</source>
        <translation>多进程训练需要本应用旁边的 llmf 程序（%1）。</translation>
    </message>
    <message numerus="yes">
        <source>Training with %n worker process(es): c10d over Gloo on 127.0.0.1.</source>
        <translation>
            <numerusform>使用 %n 个工作进程训练：c10d 经由 Gloo，地址 127.0.0.1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopping: the workers finish their step and save a checkpoint.</source>
        <translation>正在停止：各工作进程完成当前一步并保存检查点。</translation>
    </message>
    <message>
        <source>The live model needs one process; the run&apos;s checkpoints open in the Inspector.</source>
        <translation>实时模型需要单进程训练；可以在检查器中打开本次运行的检查点。</translation>
    </message>
    <message>
        <source>Distributed training failed: %1.</source>
        <translation>分布式训练失败：%1。</translation>
    </message>
</context>
</TS>
