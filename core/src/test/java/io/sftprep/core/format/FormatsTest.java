package io.sftprep.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Conversation;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.conversation.PlainText;
import io.sftprep.core.json.Json;
import io.sftprep.core.json.JsonWriter;
import io.sftprep.core.pipeline.Reason;
import io.sftprep.core.pipeline.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Literal tables for every input layout: this record becomes exactly these messages (as the template will see
 * them, key order included), this tool list and these training flags; and this record is rejected for this
 * reason with a detail that names what was wrong. No tokenizer needed.
 */
class FormatsTest {
  // ------------------------------------------------------------------ helpers

  @SuppressWarnings("unchecked")
  static Converted convert(String json, FormatOptions opts) throws Exception {
    return Formats.convert((Map<String, Object>) Json.parse(json), opts);
  }

  static Converted convert(String json) throws Exception {
    return convert(json, FormatOptions.DEFAULTS);
  }

  static Chat chat(Converted c) {
    assertEquals(1, c.conversations().size(), "conversations");
    return assertInstanceOf(Chat.class, c.conversations().get(0));
  }

  /** The messages as the template sees them, as compact JSON (key order kept). */
  static String messages(Chat c) {
    List<Object> out = new ArrayList<>();
    for (Message m : c.messages()) out.add(m.fields());
    return JsonWriter.compact(out);
  }

  /** Re-serializes expected JSON so that spacing in the test source does not matter. */
  static String json(String expected) throws Exception {
    return JsonWriter.compact(Json.parse(expected));
  }

  static Rejected rejected(String json) {
    return rejected(json, FormatOptions.DEFAULTS);
  }

  @SuppressWarnings("unchecked")
  static Rejected rejected(String json, FormatOptions opts) {
    return assertThrows(Rejected.class, () -> Formats.convert((Map<String, Object>) Json.parse(json), opts));
  }

  static void assertRejected(Reason reason, String detailPart, String json) {
    assertRejected(reason, detailPart, json, FormatOptions.DEFAULTS);
  }

  static void assertRejected(Reason reason, String detailPart, String json, FormatOptions opts) {
    Rejected r = rejected(json, opts);
    assertEquals(reason, r.reason(), () -> "detail: " + r.detail());
    assertTrue(r.detail().contains(detailPart), () -> "detail '" + r.detail() + "' should name '" + detailPart + "'");
  }

  static List<Message.Train> flags(Chat c) {
    List<Message.Train> out = new ArrayList<>();
    for (Message m : c.messages()) out.add(m.train());
    return out;
  }

  // ------------------------------------------------------------------ OpenAI messages

  @Test
  void openaiMessagesPassThroughWithEveryKeyInOrder() throws Exception {
    Converted c = convert("{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"},"
        + " {\"role\": \"user\", \"content\": \"Hi\", \"name\": \"bob\"},"
        + " {\"role\": \"assistant\", \"content\": \"Hello\", \"reasoning_content\": \"greet back\"}], \"id\": 7}");
    assertEquals(Format.OPENAI_MESSAGES, c.format());
    Chat ch = chat(c);
    assertEquals(json("[{\"role\": \"system\", \"content\": \"Be brief.\"},"
        + " {\"role\": \"user\", \"content\": \"Hi\", \"name\": \"bob\"},"
        + " {\"role\": \"assistant\", \"content\": \"Hello\", \"reasoning_content\": \"greet back\"}]"), messages(ch));
    assertNull(ch.tools());
    assertEquals(-1, ch.completionStart());
  }

  @Test
  void toolCallArgumentsGivenAsJsonStringBecomeAnObjectAndTypeDefaultsToFunction() throws Exception {
    Chat ch = chat(convert("{\"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"},"
        + " {\"role\": \"assistant\", \"content\": null, \"tool_calls\": ["
        + "{\"id\": \"c1\", \"function\": {\"name\": \"weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}},"
        + "{\"type\": \"function\", \"function\": {\"name\": \"time\", \"arguments\": {\"tz\": \"CET\"}}},"
        + "{\"name\": \"code\", \"arguments\": \"print(1)\"}]},"
        + " {\"role\": \"tool\", \"tool_call_id\": \"c1\", \"content\": \"18C\"},"
        + " {\"role\": \"assistant\", \"content\": \"18C in Paris.\"}]}"));
    assertEquals(json("[{\"role\": \"user\", \"content\": \"Weather?\"},"
        + " {\"role\": \"assistant\", \"content\": null, \"tool_calls\": ["
        + "{\"id\": \"c1\", \"function\": {\"name\": \"weather\", \"arguments\": {\"city\": \"Paris\"}}, \"type\": \"function\"},"
        + "{\"type\": \"function\", \"function\": {\"name\": \"time\", \"arguments\": {\"tz\": \"CET\"}}},"
        + "{\"type\": \"function\", \"function\": {\"name\": \"code\", \"arguments\": \"print(1)\"}}]},"
        + " {\"role\": \"tool\", \"content\": \"18C\", \"tool_call_id\": \"c1\"},"
        + " {\"role\": \"assistant\", \"content\": \"18C in Paris.\"}]"), messages(ch));
  }

  @Test
  void contentNullStaysNull() throws Exception {
    Chat ch = chat(convert("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"},"
        + " {\"role\": \"assistant\", \"content\": null}]}"));
    assertNull(ch.messages().get(1).text());
    assertTrue(ch.messages().get(1).fields().containsKey("content"));
  }

  @Test
  void contentPartsWithTextOrValueKeysAreJoined() throws Exception {
    Chat ch = chat(convert("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"a\"},"
        + " {\"type\": \"text\", \"value\": \"b\"}, \"c\", {\"text\": \"d\"}]},"
        + " {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"value\": \"ok\"}]}]}"));
    assertEquals(json("[{\"role\": \"user\", \"content\": \"abcd\"}, {\"role\": \"assistant\", \"content\": \"ok\"}]"),
        messages(ch));
  }

  @Test
  void topLevelToolsAsListOrJsonStringAndEmptyMeansNone() throws Exception {
    String tool = "{\"type\": \"function\", \"function\": {\"name\": \"f\", \"parameters\": {}}}";
    String msgs = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]";
    assertEquals(json("[" + tool + "]"), JsonWriter.compact(chat(convert("{" + msgs + ", \"tools\": [" + tool + "]}"))
        .tools()));
    String asString = JsonWriter.compact("[" + tool + "]");
    assertEquals(json("[" + tool + "]"), JsonWriter.compact(chat(convert("{" + msgs + ", \"tools\": " + asString
        + "}")).tools()));
    assertEquals(json("[" + tool + "]"), JsonWriter.compact(chat(convert("{" + msgs + ", \"tools\": " + tool + "}"))
        .tools()), "a single tool object is a list of one");
    assertNull(chat(convert("{" + msgs + ", \"tools\": \"[]\"}")).tools());
    assertNull(chat(convert("{" + msgs + ", \"tools\": []}")).tools());
    assertNull(chat(convert("{" + msgs + ", \"tools\": \"\"}")).tools());
    assertNull(chat(convert("{" + msgs + ", \"tools\": null}")).tools());
    assertRejected(Reason.BAD_FIELD, "tools is a string but not JSON", "{" + msgs + ", \"tools\": \"[{oops\"}");
    assertRejected(Reason.BAD_FIELD, "tools must be a list", "{" + msgs + ", \"tools\": 3}");
  }

  @Test
  void perMessageTrainingFlags() throws Exception {
    Chat ch = chat(convert("{\"messages\": [{\"role\": \"user\", \"content\": \"a\", \"loss_weight\": 0.0},"
        + " {\"role\": \"assistant\", \"content\": \"b\", \"loss_weight\": 1.0},"
        + " {\"role\": \"user\", \"content\": \"c\", \"train\": true},"
        + " {\"role\": \"assistant\", \"content\": \"d\", \"weight\": 0},"
        + " {\"role\": \"assistant\", \"content\": \"e\", \"train\": false},"
        + " {\"role\": \"assistant\", \"content\": \"f\", \"weight\": null}]}"));
    assertEquals(List.of(Message.Train.NO, Message.Train.YES, Message.Train.YES, Message.Train.NO, Message.Train.NO,
        Message.Train.DEFAULT), flags(ch));
    // the flags stay visible to the template, as transformers passes every key
    assertEquals(0.0, ch.messages().get(0).fields().get("loss_weight"));
    assertRejected(Reason.BAD_FIELD, "messages[1].loss_weight must be a number or boolean, found string",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"},"
            + " {\"role\": \"assistant\", \"content\": \"b\", \"loss_weight\": \"1\"}]}");
  }

  @Test
  void developerAndIpythonRolesAreKnown() throws Exception {
    Chat ch = chat(convert("{\"messages\": [{\"role\": \"developer\", \"content\": \"d\"},"
        + " {\"role\": \"user\", \"content\": \"u\"}, {\"role\": \"ipython\", \"content\": \"i\"}]}"));
    assertEquals(List.of("developer", "user", "ipython"), ch.messages().stream().map(Message::role).toList());
  }

  // ------------------------------------------------------------------ legacy OpenAI functions

  @Test
  void legacyFunctionsBecomeToolsToolCallsAndToolRole() throws Exception {
    Converted c = convert("{\"messages\": [{\"role\": \"user\", \"content\": \"Weather?\"},"
        + " {\"role\": \"assistant\", \"content\": null, \"function_call\": {\"name\": \"weather\","
        + " \"arguments\": \"{\\\"city\\\": \\\"Oslo\\\"}\"}},"
        + " {\"role\": \"function\", \"name\": \"weather\", \"content\": \"-3C\"},"
        + " {\"role\": \"assistant\", \"content\": \"Cold.\"}],"
        + " \"functions\": [{\"name\": \"weather\", \"parameters\": {\"type\": \"object\"}}]}");
    assertEquals(Format.OPENAI_FUNCTIONS, c.format());
    Chat ch = chat(c);
    assertEquals(json("[{\"role\": \"user\", \"content\": \"Weather?\"},"
        + " {\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"type\": \"function\","
        + " \"function\": {\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}}]},"
        + " {\"role\": \"tool\", \"content\": \"-3C\", \"name\": \"weather\"},"
        + " {\"role\": \"assistant\", \"content\": \"Cold.\"}]"), messages(ch));
    assertEquals(json("[{\"type\": \"function\", \"function\": {\"name\": \"weather\","
        + " \"parameters\": {\"type\": \"object\"}}}]"), JsonWriter.compact(ch.tools()));
  }

  @Test
  void legacyFunctionsNullOrFunctionCallNullMeanNone() throws Exception {
    Converted c = convert("{\"messages\": [{\"role\": \"user\", \"content\": \"x\"},"
        + " {\"role\": \"assistant\", \"content\": \"y\", \"function_call\": null}], \"functions\": null}");
    assertEquals(Format.OPENAI_FUNCTIONS, c.format());
    assertNull(chat(c).tools());
    assertEquals(json("[{\"role\": \"user\", \"content\": \"x\"}, {\"role\": \"assistant\", \"content\": \"y\"}]"),
        messages(chat(c)));
    assertRejected(Reason.BAD_FIELD, "messages[1].function_call must be an object {name, arguments}, found string",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"},"
            + " {\"role\": \"assistant\", \"content\": null, \"function_call\": \"weather\"}]}");
  }

  // ------------------------------------------------------------------ conversations (role/content)

  @Test
  void conversationsWithRoleAndContent() throws Exception {
    Converted c = convert("{\"conversations\": [{\"role\": \"user\", \"content\": \"1+1?\"},"
        + " {\"role\": \"assistant\", \"content\": \"2\"}]}");
    assertEquals(Format.CONVERSATIONS, c.format());
    assertEquals(json("[{\"role\": \"user\", \"content\": \"1+1?\"}, {\"role\": \"assistant\", \"content\": \"2\"}]"),
        messages(chat(c)));
  }

  // ------------------------------------------------------------------ ShareGPT

  @Test
  void sharegptRolesMapToOpenAiRoles() throws Exception {
    Converted c = convert("{\"id\": \"x\", \"conversations\": [{\"from\": \"system\", \"value\": \"S\"},"
        + " {\"from\": \"human\", \"value\": \"a\"}, {\"from\": \"gpt\", \"value\": \"b\"},"
        + " {\"from\": \"user\", \"value\": \"c\"}, {\"from\": \"model\", \"value\": \"d\"},"
        + " {\"from\": \"user\", \"value\": \"e\"}, {\"from\": \"assistant\", \"value\": \"f\", \"weight\": 0}]}");
    assertEquals(Format.SHAREGPT, c.format());
    Chat ch = chat(c);
    assertEquals(json("[{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"a\"},"
        + " {\"role\": \"assistant\", \"content\": \"b\"}, {\"role\": \"user\", \"content\": \"c\"},"
        + " {\"role\": \"assistant\", \"content\": \"d\"}, {\"role\": \"user\", \"content\": \"e\"},"
        + " {\"role\": \"assistant\", \"content\": \"f\"}]"), messages(ch));
    assertEquals(Message.Train.NO, ch.messages().get(6).train());
  }

  @Test
  void sharegptToolRolesTopLevelSystemAndToolsAsJsonString() throws Exception {
    // the glaive layout of LLaMA-Factory's demo data
    Chat ch = chat(convert("{\"system\": \"Use tools.\", \"tools\": \"[{\\\"name\\\": \\\"add\\\"}]\","
        + " \"conversations\": [{\"from\": \"human\", \"value\": \"2+3?\"},"
        + " {\"from\": \"function_call\", \"value\": \"{\\\"name\\\": \\\"add\\\", \\\"arguments\\\": {\\\"a\\\": 2, \\\"b\\\": 3}}\"},"
        + " {\"from\": \"observation\", \"value\": \"{\\\"sum\\\": 5}\"},"
        + " {\"from\": \"gpt\", \"value\": \"5\"}]}"));
    assertEquals(json("[{\"role\": \"system\", \"content\": \"Use tools.\"}, {\"role\": \"user\", \"content\": \"2+3?\"},"
        + " {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"type\": \"function\","
        + " \"function\": {\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}}]},"
        + " {\"role\": \"tool\", \"content\": \"{\\\"sum\\\": 5}\"}, {\"role\": \"assistant\", \"content\": \"5\"}]"),
        messages(ch));
    assertEquals(json("[{\"name\": \"add\"}]"), JsonWriter.compact(ch.tools()));
  }

  @Test
  void sharegptParallelCallsAndFunctionToolRoles() throws Exception {
    Chat ch = chat(convert("{\"conversations\": [{\"from\": \"human\", \"value\": \"q\"},"
        + " {\"from\": \"function_call\", \"value\": \"[{\\\"name\\\": \\\"a\\\", \\\"arguments\\\": \\\"{}\\\"},"
        + " {\\\"name\\\": \\\"b\\\"}]\"},"
        + " {\"from\": \"function\", \"value\": \"ra\"}, {\"from\": \"tool\", \"value\": \"rb\"},"
        + " {\"from\": \"gpt\", \"value\": \"done\"}]}"));
    assertEquals(json("[{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"\","
        + " \"tool_calls\": [{\"type\": \"function\", \"function\": {\"name\": \"a\", \"arguments\": {}}},"
        + " {\"type\": \"function\", \"function\": {\"name\": \"b\", \"arguments\": {}}}]},"
        + " {\"role\": \"tool\", \"content\": \"ra\"}, {\"role\": \"tool\", \"content\": \"rb\"},"
        + " {\"role\": \"assistant\", \"content\": \"done\"}]"), messages(ch));
  }

  @Test
  void sharegptRejections() {
    assertRejected(Reason.UNKNOWN_ROLE, "conversations[1] is from 'narrator'",
        "{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}, {\"from\": \"narrator\", \"value\": \"b\"}]}");
    assertRejected(Reason.EMPTY_CONVERSATION, "'conversations' is an empty list", "{\"conversations\": []}");
    assertRejected(Reason.BAD_FIELD, "conversations[0].from must be a string, found number",
        "{\"conversations\": [{\"from\": 1, \"value\": \"a\"}]}");
    assertRejected(Reason.BAD_FIELD, "conversations[1] function_call value is not JSON",
        "{\"conversations\": [{\"from\": \"human\", \"value\": \"a\"}, {\"from\": \"function_call\", \"value\": \"add(2)\"}]}");
    assertRejected(Reason.BAD_FIELD, "conversations[0] must be an object, found string",
        "{\"conversations\": [\"hi\", {\"from\": \"gpt\", \"value\": \"b\"}]}");
    assertRejected(Reason.BAD_FIELD, "'system' must be a string, found array",
        "{\"system\": [\"S\"], \"conversations\": [{\"from\": \"human\", \"value\": \"a\"}]}");
  }

  // ------------------------------------------------------------------ Alpaca

  @Test
  void alpacaInstructionAndInputJoinWithNewline() throws Exception {
    Converted c = convert("{\"instruction\": \"Translate.\", \"input\": \"chat\", \"output\": \"cat\"}");
    assertEquals(Format.ALPACA, c.format());
    assertEquals(json("[{\"role\": \"user\", \"content\": \"Translate.\\nchat\"}, {\"role\": \"assistant\","
        + " \"content\": \"cat\"}]"), messages(chat(c)));
    assertEquals(json("[{\"role\": \"user\", \"content\": \"Say hi.\"}, {\"role\": \"assistant\", \"content\": \"hi\"}]"),
        messages(chat(convert("{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"hi\"}"))));
    assertEquals(json("[{\"role\": \"user\", \"content\": \"Say hi.\"}, {\"role\": \"assistant\", \"content\": \"hi\"}]"),
        messages(chat(convert("{\"instruction\": \"Say hi.\", \"output\": \"hi\"}"))));
  }

  @Test
  void alpacaSystemAndHistoryPairsComeFirst() throws Exception {
    Chat ch = chat(convert("{\"instruction\": \"And 3+3?\", \"input\": \"\", \"output\": \"6\", \"system\": \"Math.\","
        + " \"history\": [[\"1+1?\", \"2\"], [\"2+2?\", \"4\"]]}"));
    assertEquals(json("[{\"role\": \"system\", \"content\": \"Math.\"}, {\"role\": \"user\", \"content\": \"1+1?\"},"
        + " {\"role\": \"assistant\", \"content\": \"2\"}, {\"role\": \"user\", \"content\": \"2+2?\"},"
        + " {\"role\": \"assistant\", \"content\": \"4\"}, {\"role\": \"user\", \"content\": \"And 3+3?\"},"
        + " {\"role\": \"assistant\", \"content\": \"6\"}]"), messages(ch));
  }

  @Test
  void alpacaRejections() {
    assertRejected(Reason.BAD_FIELD, "history[1] must be a pair of strings",
        "{\"instruction\": \"a\", \"output\": \"b\", \"history\": [[\"q\", \"r\"], [\"q\"]]}");
    assertRejected(Reason.BAD_FIELD, "'output' must be a string, found number",
        "{\"instruction\": \"a\", \"output\": 4}");
    assertRejected(Reason.BAD_FIELD, "'output' is missing or null", "{\"instruction\": \"a\", \"output\": null}");
    assertRejected(Reason.BAD_FIELD, "'input' must be a string, found object",
        "{\"instruction\": \"a\", \"input\": {}, \"output\": \"b\"}");
  }

  // ------------------------------------------------------------------ prompt/completion, prompt/response, text

  @Test
  void plainPromptCompletionIsPlainText() throws Exception {
    Converted c = convert("{\"prompt\": \"The sky is\", \"completion\": \" blue.\"}");
    assertEquals(Format.PROMPT_COMPLETION, c.format());
    assertEquals(new PlainText("The sky is", " blue."), c.conversations().get(0));
  }

  @Test
  void conversationalPromptCompletionMarksWhereTheCompletionStarts() throws Exception {
    Converted c = convert("{\"prompt\": [{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"q\"}],"
        + " \"completion\": [{\"role\": \"assistant\", \"content\": \"a\"}]}");
    assertEquals(Format.PROMPT_COMPLETION, c.format());
    Chat ch = chat(c);
    assertEquals(2, ch.completionStart());
    assertTrue(ch.isPromptCompletion());
    assertEquals(json("[{\"role\": \"system\", \"content\": \"S\"}, {\"role\": \"user\", \"content\": \"q\"},"
        + " {\"role\": \"assistant\", \"content\": \"a\"}]"), messages(ch));
  }

  @Test
  void promptResponseIsPlainText() throws Exception {
    Converted c = convert("{\"prompt\": \"### Instruction: hi\\n### Response:\\n\", \"response\": \"hello\"}");
    assertEquals(Format.PROMPT_RESPONSE, c.format());
    assertEquals(new PlainText("### Instruction: hi\n### Response:\n", "hello"), c.conversations().get(0));
  }

  @Test
  void promptCompletionRejections() {
    assertRejected(Reason.BAD_FIELD, "'prompt' and 'completion' must both be strings or both be lists of messages,"
        + " found string and array", "{\"prompt\": \"q\", \"completion\": [{\"role\": \"assistant\", \"content\": \"a\"}]}");
    assertRejected(Reason.EMPTY_CONVERSATION, "'completion' is empty",
        "{\"prompt\": [{\"role\": \"user\", \"content\": \"q\"}], \"completion\": []}");
    assertRejected(Reason.UNKNOWN_ROLE, "completion[0] has role 'bot'",
        "{\"prompt\": [{\"role\": \"user\", \"content\": \"q\"}], \"completion\": [{\"role\": \"bot\", \"content\": \"a\"}]}");
  }

  @Test
  void textIsPlainTextWithNoPrompt() throws Exception {
    Converted c = convert("{\"text\": \"Once upon a time\", \"meta\": {\"source\": \"x\"}}");
    assertEquals(Format.TEXT, c.format());
    assertEquals(new PlainText("", "Once upon a time"), c.conversations().get(0));
    assertRejected(Reason.BAD_FIELD, "'text' must be a string, found number", "{\"text\": 42}");
  }

  // ------------------------------------------------------------------ OpenAssistant trees

  static final String TREE = "{\"prompt\": {\"text\": \"Q\", \"role\": \"prompter\", \"replies\": ["
      + "{\"text\": \"A1\", \"role\": \"assistant\", \"replies\": ["
      + "  {\"text\": \"Q2\", \"role\": \"prompter\", \"replies\": []},"                    // prompter leaf: cut to [Q, A1]
      + "  {\"text\": \"Q3\", \"role\": \"prompter\", \"replies\": ["
      + "    {\"text\": \"A3\", \"role\": \"assistant\", \"replies\": []},"
      + "    {\"text\": \"bad\", \"role\": \"assistant\", \"deleted\": true, \"replies\": []}]}]},"
      + "{\"text\": \"A2\", \"role\": \"assistant\", \"deleted\": true, \"replies\": ["
      + "  {\"text\": \"under a deleted node\", \"role\": \"prompter\", \"replies\": []}]},"
      + "{\"text\": \"A1\", \"role\": \"assistant\", \"replies\": []}"                        // duplicate of [Q, A1]
      + "]}}";

  @Test
  void oasstTreeGivesOnePathPerLeafCutAfterTheLastAssistantDeduplicated() throws Exception {
    Converted c = convert(TREE);
    assertEquals(Format.OASST, c.format());
    List<String> got = new ArrayList<>();
    for (Conversation conv : c.conversations()) got.add(messages((Chat) conv));
    assertEquals(List.of(
        json("[{\"role\": \"user\", \"content\": \"Q\"}, {\"role\": \"assistant\", \"content\": \"A1\"}]"),
        json("[{\"role\": \"user\", \"content\": \"Q\"}, {\"role\": \"assistant\", \"content\": \"A1\"},"
            + " {\"role\": \"user\", \"content\": \"Q3\"}, {\"role\": \"assistant\", \"content\": \"A3\"}]")), got);
  }

  @Test
  void oasstRejections() {
    assertRejected(Reason.NO_ASSISTANT_TURN, "no path that ends on an assistant reply",
        "{\"prompt\": {\"text\": \"Q\", \"role\": \"prompter\", \"replies\": [{\"text\": \"A\", \"role\": \"assistant\","
            + " \"deleted\": true}]}}");
    assertRejected(Reason.UNKNOWN_ROLE, "tree node role 'moderator'",
        "{\"prompt\": {\"text\": \"Q\", \"role\": \"prompter\", \"replies\": [{\"text\": \"A\", \"role\": \"moderator\"}]}}");
    assertRejected(Reason.BAD_FIELD, "tree node text must be a string",
        "{\"prompt\": {\"text\": null, \"role\": \"prompter\", \"replies\": []}}");
  }

  // ------------------------------------------------------------------ field names, forcing, detection

  @Test
  void configurableFieldNames() throws Exception {
    FormatOptions opts = new FormatOptions(null, "dialog", "speaker", "utterance");
    Converted c = convert("{\"dialog\": [{\"speaker\": \"user\", \"utterance\": \"hi\", \"t\": 1},"
        + " {\"speaker\": \"assistant\", \"utterance\": \"hello\"}]}", opts);
    assertEquals(Format.OPENAI_MESSAGES, c.format());
    assertEquals(json("[{\"role\": \"user\", \"content\": \"hi\", \"t\": 1}, {\"role\": \"assistant\","
        + " \"content\": \"hello\"}]"), messages(chat(c)));
    // ShareGPT takes the configured role/content keys instead of from/value
    Converted s = convert("{\"conversations\": [{\"from\": \"human\", \"speaker\": \"human\", \"utterance\": \"a\"},"
        + " {\"from\": \"gpt\", \"speaker\": \"gpt\", \"utterance\": \"b\"}]}", opts);
    assertEquals(Format.SHAREGPT, s.format());
    assertEquals(json("[{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]"),
        messages(chat(s)));
    assertRejected(Reason.BAD_FIELD, "dialog[0].speaker must be a string, found null",
        "{\"dialog\": [{\"role\": \"user\", \"utterance\": \"hi\"}]}", opts);
  }

  @Test
  void forcedFormatSkipsDetection() throws Exception {
    FormatOptions text = new FormatOptions(Format.TEXT, "messages", "role", "content");
    assertEquals(new PlainText("", "hi"), convert("{\"text\": \"hi\", \"instruction\": \"x\", \"output\": \"y\"}",
        text).conversations().get(0));
    FormatOptions alpaca = new FormatOptions(Format.ALPACA, "messages", "role", "content");
    assertRejected(Reason.BAD_FIELD, "'instruction' is missing or null", "{\"text\": \"hi\"}", alpaca);
  }

  @Test
  void detectionOrderIsMessagesConversationsTreePromptAlpacaText() throws Exception {
    assertEquals(Format.OPENAI_MESSAGES, Formats.detect(obj("{\"messages\": [], \"text\": \"t\"}"),
        FormatOptions.DEFAULTS));
    assertEquals(Format.OASST, Formats.detect(obj("{\"prompt\": {\"role\": \"prompter\"}, \"completion\": \"c\"}"),
        FormatOptions.DEFAULTS));
    assertEquals(Format.PROMPT_COMPLETION, Formats.detect(obj("{\"prompt\": \"p\", \"completion\": \"c\","
        + " \"instruction\": \"i\", \"output\": \"o\"}"), FormatOptions.DEFAULTS));
    assertEquals(Format.ALPACA, Formats.detect(obj("{\"instruction\": \"i\", \"output\": \"o\", \"text\": \"t\"}"),
        FormatOptions.DEFAULTS));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(String json) throws Exception {
    return (Map<String, Object>) Json.parse(json);
  }

  @Test
  void rejectionsNameWhatWasWrong() {
    assertRejected(Reason.UNKNOWN_FORMAT, "no known layout has the keys [question, answer]",
        "{\"question\": \"q\", \"answer\": \"a\"}");
    assertRejected(Reason.UNKNOWN_FORMAT, "no known layout has the keys []", "{}");
    assertRejected(Reason.BAD_FIELD, "'messages' must be a list of messages, found string", "{\"messages\": \"hi\"}");
    assertRejected(Reason.BAD_FIELD, "'conversations' must be a list of messages, found object",
        "{\"conversations\": {\"from\": \"human\"}}");
    assertRejected(Reason.EMPTY_CONVERSATION, "'messages' is an empty list", "{\"messages\": []}");
    assertRejected(Reason.BAD_FIELD, "messages[1] must be an object, found number",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, 5]}");
    assertRejected(Reason.BAD_FIELD, "messages[0].role must be a string, found null",
        "{\"messages\": [{\"content\": \"a\"}]}");
    assertRejected(Reason.UNKNOWN_ROLE, "messages[1] has role 'bot'",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"bot\", \"content\": \"b\"}]}");
    assertRejected(Reason.UNSUPPORTED_CONTENT, "messages[0].content holds a 'image' part",
        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image\", \"url\": \"x.png\"}]}]}");
    assertRejected(Reason.BAD_FIELD, "messages[0].content holds a text part without a string 'text'",
        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": 3}]}]}");
    assertRejected(Reason.BAD_FIELD, "messages[0].content must be a string, null or a list of text parts, found number",
        "{\"messages\": [{\"role\": \"user\", \"content\": 3}]}");
    assertRejected(Reason.BAD_FIELD, "messages[1].tool_calls must be a list, found object",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": null,"
            + " \"tool_calls\": {\"name\": \"f\"}}]}");
    assertRejected(Reason.BAD_FIELD, "messages[1].tool_calls[0] must be an object, found string",
        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": null,"
            + " \"tool_calls\": [\"f()\"]}]}");
  }
}
