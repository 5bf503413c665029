-- Databricks notebook source
-- MAGIC %md
-- MAGIC # sftprep in a notebook (SQL)
-- MAGIC
-- MAGIC The same functions as the nightly job's per-record path: `sft_render`, `sft_tokenize`,
-- MAGIC `sft_tokenize_json`, `sft_num_tokens` (see the Python notebook for the table). Spark SQL has no statement
-- MAGIC that registers Java functions, so the first cell does it in Python, with the tokenizer, and makes the two
-- MAGIC views the SQL reads: `sft_chats` (the corpus through Spark's JSON reader) and `sft_lines` (its raw lines).
-- MAGIC The cluster needs the shaded jar `sftprep-job-0.1.0-all.jar` as a library and dedicated access mode.

-- COMMAND ----------

-- MAGIC %python
-- MAGIC tokenizer = "/Volumes/main/sft/tokenizers/qwen3"
-- MAGIC corpus = "/Volumes/main/sft/raw/chat/"
-- MAGIC spark.conf.set("spark.sftprep.tokenizer", tokenizer)
-- MAGIC for name, class_name, ddl in [
-- MAGIC     ("sft_render", "io.sftprep.udfs.SftRender", "string"),
-- MAGIC     ("sft_tokenize", "io.sftprep.udfs.SftTokenize",
-- MAGIC      "struct<input_ids:array<int>,labels:array<int>,num_tokens:int,num_trained:int,reject_reason:string>"),
-- MAGIC     ("sft_tokenize_json", "io.sftprep.udfs.SftTokenizeJson",
-- MAGIC      "array<struct<part:int,chunk:int,input_ids:array<int>,labels:array<int>,num_tokens:int,num_trained:int,reject_reason:string>>"),
-- MAGIC     ("sft_num_tokens", "io.sftprep.udfs.SftNumTokens", "int"),
-- MAGIC ]:
-- MAGIC     spark.udf.registerJavaFunction(name, class_name, ddl)
-- MAGIC spark.read.json(corpus).createOrReplaceTempView("sft_chats")
-- MAGIC spark.read.text(corpus).createOrReplaceTempView("sft_lines")
-- MAGIC spark.sql("USE CATALOG main")
-- MAGIC spark.sql("USE SCHEMA sft")

-- COMMAND ----------

-- What the model reads: the chat template's rendering of the first conversations
SELECT sft_render(messages) AS text, sft_num_tokens(messages) AS num_tokens
FROM sft_chats WHERE messages IS NOT NULL LIMIT 5

-- COMMAND ----------

CREATE OR REPLACE TEMPORARY VIEW sft_tokenized AS
SELECT messages, sft_tokenize(messages) AS t, sft_num_tokens(messages) AS n, sft_render(messages) AS text
FROM sft_chats
WHERE messages IS NOT NULL

-- COMMAND ----------

-- Per outcome: records, tokens and trained tokens (reject_reason is null for a written sample)
SELECT coalesce(t.reject_reason, 'written') AS outcome, count(*) AS records,
       sum(t.num_tokens) AS tokens, sum(t.num_trained) AS trained_tokens
FROM sft_tokenized
GROUP BY 1
ORDER BY 1

-- COMMAND ----------

-- Any input layout, straight from the raw lines (blank lines skipped, as the job does): one row per sample
CREATE OR REPLACE TEMPORARY VIEW sft_samples AS
SELECT inline(sft_tokenize_json(value))
FROM sft_lines
WHERE trim(value) != ''

-- COMMAND ----------

SELECT coalesce(reject_reason, 'written') AS outcome, count(*) AS samples
FROM sft_samples
GROUP BY 1
ORDER BY 1

-- COMMAND ----------

-- A small preprocessing: the written samples as a table (unpacked; the job packs them into Parquet shards)
DROP TABLE IF EXISTS sft_chat_samples;
CREATE TABLE sft_chat_samples AS
SELECT input_ids, labels, num_tokens, num_trained
FROM sft_samples
WHERE reject_reason IS NULL
