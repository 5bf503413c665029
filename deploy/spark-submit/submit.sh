#!/usr/bin/env bash
# Submits the sftprep job with spark-submit to a cluster.
#
#   deploy/spark-submit/submit.sh TARGET COMMAND [ARGS...]
#
#   TARGET   standalone | yarn | k8s: conf/common.conf, then conf/TARGET.conf, then $SFTPREP_CONF if set
#   COMMAND  the sftprep command and its arguments, e.g.
#            run --input hdfs:///data/chat/ --output hdfs:///sft/chat --tokenizer hdfs:///models/qwen3
#
# Environment:
#   SPARK_HOME           the Spark 4 (Scala 2.13) distribution whose bin/spark-submit is used (required)
#   SFTPREP_MASTER       the master URL; default: spark://$(hostname -f):7077 (standalone), yarn (yarn);
#                        required for k8s (k8s://https://API_SERVER:443)
#   SFTPREP_JAR          the shaded jar; default: spark-job/target/sftprep-job-VERSION-all.jar of this checkout
#   SFTPREP_CONF         one more properties file, read last (a cluster's own sizes)
#   SFTPREP_LOG4J        the log4j2 configuration; default: deploy/spark-submit/log4j2.properties
#   SFTPREP_SUBMIT_ARGS  more spark-submit options, word-split (e.g. "--num-executors 8")
#
# Exit code: spark-submit's, which in client mode (standalone and yarn here) is the job's: 0 published or
# unchanged, 1 failure, 2 bad usage or config, 3 too many rejects (version written, _LATEST not moved).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
die() { echo "submit.sh: $*" >&2; exit 2; }

[ $# -ge 2 ] || die "usage: submit.sh standalone|yarn|k8s COMMAND [ARGS...] (see the header of $0)"
TARGET="$1"; shift
[ -f "$HERE/conf/$TARGET.conf" ] || die "unknown target '$TARGET': expected standalone, yarn or k8s"
[ -n "${SPARK_HOME:-}" ] || die "set SPARK_HOME to a Spark 4 (Scala 2.13) distribution"
[ -x "$SPARK_HOME/bin/spark-submit" ] || die "no $SPARK_HOME/bin/spark-submit"

case "$TARGET" in
  standalone) MASTER="${SFTPREP_MASTER:-spark://$(hostname -f):7077}" ;;
  yarn) MASTER="${SFTPREP_MASTER:-yarn}" ;;
  k8s) MASTER="${SFTPREP_MASTER:?set SFTPREP_MASTER=k8s://https://API_SERVER:443}" ;;
esac

VERSION="$(sed -n '/<artifactId>sftprep-parent<\/artifactId>/,/<\/version>/s:.*<version>\([^<]*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
JAR="${SFTPREP_JAR:-$ROOT/spark-job/target/sftprep-job-$VERSION-all.jar}"
case "$JAR" in
  local:*|hdfs:*|s3a:*|abfss:*|gs:*|http:*|https:*) ;;
  *) [ -f "$JAR" ] || die "no shaded jar at $JAR: build it with mvn -B -DskipTests package -pl spark-job -am" ;;
esac
LOG4J="${SFTPREP_LOG4J:-$HERE/log4j2.properties}"
[ -f "$LOG4J" ] || die "no log4j2 configuration at $LOG4J"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sftprep-submit.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# one properties file: common, then the target's, then the caller's (for a repeated key the later line wins)
PROPS="$WORK/spark.conf"
cat "$HERE/conf/common.conf" "$HERE/conf/$TARGET.conf" ${SFTPREP_CONF:+"$SFTPREP_CONF"} > "$PROPS"
cp "$LOG4J" "$WORK/log4j2.properties"

# executors read log4j2.properties from their working folder (shipped with --files); a client-mode driver is
# spark-submit's own JVM, which takes SPARK_SUBMIT_OPTS
export SPARK_SUBMIT_OPTS="-Dlog4j2.configurationFile=file:$LOG4J ${SPARK_SUBMIT_OPTS:-}"

# not exec: the trap removes the work folder after the run; the exit code is passed on
set +e
# shellcheck disable=SC2086
"$SPARK_HOME/bin/spark-submit" \
  --master "$MASTER" \
  --properties-file "$PROPS" \
  --files "$WORK/log4j2.properties" \
  --class io.sftprep.job.cli.Main \
  ${SFTPREP_SUBMIT_ARGS:-} \
  "$JAR" "$@"
rc=$?
set -e
exit $rc
