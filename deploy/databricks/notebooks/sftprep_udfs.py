# Databricks notebook source
# MAGIC %md
# MAGIC # sftprep in a notebook (Python)
# MAGIC
# MAGIC sftprep's Spark SQL functions tokenize chat records exactly as the nightly job does (the model's own chat
# MAGIC template, its `tokenizer.json`, assistant-only labels with `-100` elsewhere), one record per row:
# MAGIC
# MAGIC | function | returns |
# MAGIC |---|---|
# MAGIC | `sft_render(messages)` | the text the chat template renders |
# MAGIC | `sft_tokenize(messages)` | `struct<input_ids, labels, num_tokens, num_trained, reject_reason>` |
# MAGIC | `sft_tokenize_json(line)` | one element per sample of a raw JSONL line in any input layout |
# MAGIC | `sft_num_tokens(messages)` | the sample's length in tokens |
# MAGIC
# MAGIC `messages` is `array<struct<role, content, ...>>` or a JSON string of the list. The cluster needs the shaded
# MAGIC jar `sftprep-job-0.1.0-all.jar` as a library and dedicated (single user) access mode (Java UDFs).

# COMMAND ----------

dbutils.widgets.text("tokenizer", "/Volumes/main/sft/tokenizers/qwen3")
dbutils.widgets.text("input", "/Volumes/main/sft/raw/chat/")
dbutils.widgets.text("table", "main.sft.chat_samples")

# COMMAND ----------

# The tokenizer, and any sftprep setting as spark.sftprep.<key>, are read when the functions are registered:
# register again after changing them. The tokenizer folder is copied once per executor to local disk.
spark.conf.set("spark.sftprep.tokenizer", dbutils.widgets.get("tokenizer"))
spark.conf.set("spark.sftprep.max-length", "4096")

SFT_FUNCTIONS = [
    ("sft_render", "io.sftprep.udfs.SftRender", "string"),
    ("sft_tokenize", "io.sftprep.udfs.SftTokenize",
     "struct<input_ids:array<int>,labels:array<int>,num_tokens:int,num_trained:int,reject_reason:string>"),
    ("sft_tokenize_json", "io.sftprep.udfs.SftTokenizeJson",
     "array<struct<part:int,chunk:int,input_ids:array<int>,labels:array<int>,num_tokens:int,num_trained:int,reject_reason:string>>"),
    ("sft_num_tokens", "io.sftprep.udfs.SftNumTokens", "int"),
]
for name, class_name, ddl in SFT_FUNCTIONS:
    spark.udf.registerJavaFunction(name, class_name, ddl)

# COMMAND ----------

# One conversation, as a JSON string: the rendered text, then ids and labels (-100 = no loss)
example = '[{"role": "user", "content": "What is 2+2?"}, {"role": "assistant", "content": "4"}]'
display(spark.sql("SELECT sft_render(:m) AS text, sft_tokenize(:m) AS t", args={"m": example}))

# COMMAND ----------

from pyspark.sql import functions as F

# A corpus of OpenAI-style records: messages read by Spark's JSON reader as array<struct<content, role>>
chats = spark.read.json(dbutils.widgets.get("input")).where("messages IS NOT NULL")
tokenized = chats.select("messages", F.expr("sft_tokenize(messages)").alias("t"))
display(tokenized.groupBy(F.coalesce("t.reject_reason", F.lit("written")).alias("outcome"))
        .agg(F.count("*").alias("records"), F.sum("t.num_tokens").alias("tokens"),
             F.sum("t.num_trained").alias("trained_tokens")))

# COMMAND ----------

# A small preprocessing: every raw line (any input layout) to samples, rejects counted by reason, samples kept in
# a table. For packed Parquet shards with a manifest, run the job (the bundle's sftprep_nightly).
lines = spark.read.text(dbutils.widgets.get("input")).where(F.trim("value") != "")
samples = lines.select(F.inline(F.expr("sft_tokenize_json(value)")))
display(samples.groupBy(F.coalesce("reject_reason", F.lit("written")).alias("outcome")).count())
(samples.where("reject_reason IS NULL")
    .select("input_ids", "labels", "num_tokens", "num_trained")
    .write.mode("overwrite").saveAsTable(dbutils.widgets.get("table")))
