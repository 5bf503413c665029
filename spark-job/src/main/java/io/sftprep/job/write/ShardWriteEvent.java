package io.sftprep.job.write;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event around each row handed to the Parquet writer and around closing a shard, so a flight recording
 * shows the whole cost of writing shards, ZSTD's native compression included (JFR's execution sampler sees Java
 * code only). {@code sftprep bench} sums these; when no recording is on, the event costs nothing.
 */
@Name("io.sftprep.ShardWrite")
@Label("Shard write")
@Category("sftprep")
@Description("Parquet encoding, compression and file output of one packed row, or the close of a shard")
@StackTrace(false)
final class ShardWriteEvent extends jdk.jfr.Event {
  @Label("Shard")
  int shard;
}
