<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>llmf::MainWindow</name>
    <message>
        <source>custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LLM Foundry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open run directory…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recent runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export run to Hugging Face format…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About LLM Foundry</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Device: CUDA (%n GPU(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Device: CPU, %n thread(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>BLAS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No run open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a run directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a run directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the run to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;LLM Foundry %1&lt;/h3&gt;&lt;p&gt;Build, train, inspect and sample a small LLaMA-style model.&lt;/p&gt;&lt;p&gt;LibTorch %2&lt;br&gt;BLAS: %3 (%4)&lt;br&gt;Threads: %5 on %6 physical cores&lt;br&gt;CUDA: %7&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Warning:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About LLM Foundry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;table&gt;&lt;tr&gt;&lt;td&gt;Ctrl+1 … Ctrl+3&lt;/td&gt;&lt;td&gt;Home, Config Studio, Training&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+N&lt;/td&gt;&lt;td&gt;New run (Config Studio)&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+O&lt;/td&gt;&lt;td&gt;Open a run directory&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;Ctrl+Q&lt;/td&gt;&lt;td&gt;Quit (a running training is stopped and saved)&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training is running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop training and save a checkpoint before quitting? You can resume it later.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::BreakdownPanel</name>
    <message>
        <source>embedding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feed-forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>block norms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>final norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lm_head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters per component</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training memory per step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV cache at max_seq_len (generation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KV heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vs MHA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sizes must be positive to count parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These sizes are too large to count.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 parameters (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 layers × %2 per layer · head_dim %3 · FFN hidden %4 · %5% in the embedding and lm_head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimate only: the configuration has problems, and head_dim %1 / %2 is rounded down to %3 here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimate only: the configuration has problems (see the list on the left).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>0 (tied to the embedding)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · &lt;0.1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 parameters × 4 bytes (float32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one float32 per parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AdamW state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>two float32 moments per parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch %1 × %2 tokens in %3, kept for the backward pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>per micro-batch, before framework overhead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient accumulation (%1 micro-batches) multiplies the tokens per optimiser step, not the memory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MHA (multi-head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GQA (grouped-query)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MQA (multi-query)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One sequence of %1 tokens through %2 layers, head_dim %3, in %4. Fewer KV heads shrink the cache that generation keeps for every sequence.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigDiffView</name>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Origin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) changed since %1:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No changes: this is exactly %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigForm</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokenizers (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text files (*.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turn this filter off (null in YAML)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a number yet: type e.g. 0.0003 or 3e-4.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigStudio</name>
    <message>
        <source>dim (%1) is too large to check here: the Config Studio handles widths up to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Breakdown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open the preset &apos;%1&apos;; the configuration is unchanged.
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open %1; the configuration is unchanged.
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not saved: the configuration has %n problem(s); fix them first.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not save %1.
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1 (only the keys that differ from the defaults).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diff (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>n_heads %1 → %2 and n_kv_heads %3 → %4 (head_dim %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard changes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>You changed %n key(s) of %1 without saving. Discard these changes?</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open a configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML configurations (*.yaml *.yml);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save configuration as</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigToolBar</name>
    <message>
        <source>Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a YAML file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the keys that differ from the defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to a new YAML file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go back to the preset or file this configuration came from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train this config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Training dashboard with this configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix the problems listed above the form first</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigYamlView</name>
    <message>
        <source>Show all keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off: only what differs from the defaults, as Save writes it. On: every key with its resolved value, as in a run directory&apos;s config.yaml.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the YAML to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># Every key has its default value: Save writes an empty file.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># Only the keys that differ from the defaults (what Save writes).
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::HomePage</name>
    <message>
        <source>LLM Foundry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Build, train, inspect and sample a small LLaMA-style language model on your own machine. Every number here comes from the real engine: RMSNorm, rotary position embeddings, grouped-query attention and SwiGLU, trained with AdamW on your CPU or GPU.&lt;/p&gt;&lt;p&gt;&lt;b&gt;Quick start&lt;/b&gt; trains the &lt;i&gt;tiny&lt;/i&gt; preset (1.25M parameters) on six Jane Austen novels in about a minute and shows the loss falling live. &lt;b&gt;Start here&lt;/b&gt; opens the Config Studio, where every setting of the model explains what it costs.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick start: train tiny</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent runs&lt;/b&gt; (double-click to resume)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — no evaluation yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — best val loss %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs yet: press Quick start.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::IssuesPanel</name>
    <message>
        <source>Click an issue to go to its field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix before training</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Suggested fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::MessageBanner</name>
    <message>
        <source>Close this message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::PathEdit</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingCharts</name>
    <message>
        <source>step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss (nats)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train loss (each step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train loss (smoothed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eval: train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>eval: validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradient norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected first loss: ln(vocab) = %1 (a uniform guess among all tokens)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingDashboard</name>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train the Config Studio&apos;s configuration in a new run directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after the current step and save a checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Samples during training&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample every N steps (0 = off):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Log&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>— step %1 —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint saved at step %1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused at step %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration: %1 — %2 parameters, %3 steps of %4 × %5 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration: %1 is not valid; fix it in the Config Studio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting %1 in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resuming %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping: finishing the current step and saving a checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1/%2 · loss %3 · %4 tok/s · ETA %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step %1: train loss %2, val loss %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training finished. Run directory: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training stopped; the checkpoint in %1 can be resumed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume a run directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training.png</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metrics.csv</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingWorker</name>
    <message>
        <source>Stopped at step %1; saving a checkpoint.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
