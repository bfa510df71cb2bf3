<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>llmf::MainMenuBar</name>
    <message numerus="yes">
        <source>%n device(s)</source>
        <translation>
            <numerusform>%n device</numerusform>
            <numerusform>%n devices</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::MainWindow</name>
    <message numerus="yes">
        <source>Device: CUDA (%n GPU(s))</source>
        <translation>
            <numerusform>Device: CUDA (%n GPU)</numerusform>
            <numerusform>Device: CUDA (%n GPUs)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Device: CPU, %n thread(s)</source>
        <translation>
            <numerusform>Device: CPU, %n thread</numerusform>
            <numerusform>Device: CPU, %n threads</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigDiffView</name>
    <message numerus="yes">
        <source>%n key(s) changed since %1:</source>
        <translation>
            <numerusform>%n key changed since %1:</numerusform>
            <numerusform>%n keys changed since %1:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::views::ConfigStudio</name>
    <message numerus="yes">
        <source>Not saved: the configuration has %n problem(s); fix them first.</source>
        <translation>
            <numerusform>Not saved: the configuration has %n problem; fix it first.</numerusform>
            <numerusform>Not saved: the configuration has %n problems; fix them first.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s)</source>
        <translation>
            <numerusform>%n change</numerusform>
            <numerusform>%n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>You changed %n key(s) of %1 without saving. Discard these changes?</source>
        <translation>
            <numerusform>You changed %n key of %1 without saving. Discard this change?</numerusform>
            <numerusform>You changed %n keys of %1 without saving. Discard these changes?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::views::IssuesPanel</name>
    <message numerus="yes">
        <source>%n problem(s) to fix before training</source>
        <translation>
            <numerusform>%n problem to fix before training</numerusform>
            <numerusform>%n problems to fix before training</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingControlBar</name>
    <message numerus="yes">
        <source> · %n thread(s)</source>
        <translation>
            <numerusform> · %n thread</numerusform>
            <numerusform> · %n threads</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %n processes, all-reduce %1% of the step</source>
        <translation>
            <numerusform> · %n process, all-reduce %1% of the step</numerusform>
            <numerusform> · %n processes, all-reduce %1% of the step</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>llmf::views::TrainingWorker</name>
    <message numerus="yes">
        <source>Training with %n worker process(es): c10d over Gloo on 127.0.0.1.</source>
        <translation>
            <numerusform>Training with %n worker process: c10d over Gloo on 127.0.0.1.</numerusform>
            <numerusform>Training with %n worker processes: c10d over Gloo on 127.0.0.1.</numerusform>
        </translation>
    </message>
</context>
</TS>
