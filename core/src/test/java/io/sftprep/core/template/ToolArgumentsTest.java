package io.sftprep.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sftprep.core.conversation.Chat;
import io.sftprep.core.conversation.Message;
import io.sftprep.core.json.Json;
import io.sftprep.core.template.ChatRenderer.ToolArguments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code template.tool-arguments}: the same tool call reaches a template as an object ({@code object}) or as the
 * JSON text Python's {@code json.dumps(arguments, ensure_ascii=False)} writes ({@code string}), for templates that
 * concatenate arguments (DeepSeek-V3's {@code tool['function']['arguments'] + ...}).
 */
class ToolArgumentsTest {
  /** DeepSeek-V3's way of writing a call: string concatenation, which fails on an object. */
  static final String CONCATENATING = "{% for m in messages %}{% if m.tool_calls %}{% for c in m.tool_calls %}"
      + "{{ c.function.name + '(' + c.function.arguments + ')' }}{% endfor %}{% else %}{{ m.content }}{% endif %}"
      + "{% endfor %}";
  /** Llama 3's way: tojson, which quotes a string a second time. */
  static final String TOJSON = "{% for m in messages %}{% if m.tool_calls %}{% for c in m.tool_calls %}"
      + "{{ c.function.arguments | tojson }}{% endfor %}{% endif %}{% endfor %}";

  static Chat call(String argumentsJson) throws Exception {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("role", "assistant");
    fields.put("content", "");
    fields.put("tool_calls", List.of(Map.of("type", "function", "function",
        Map.of("name", "add", "arguments", Json.parse(argumentsJson)))));
    List<Message> msgs = new ArrayList<>(List.of(Message.of("user", "2+3?")));
    msgs.add(new Message("assistant", fields, Message.Train.DEFAULT));
    return Chat.of(msgs);
  }

  static String render(String template, ToolArguments mode, Chat chat) {
    return new ChatRenderer(ChatTemplate.compile(template), Map.of(), Map.of(), RenderLimits.DEFAULT, mode)
        .render(chat).text();
  }

  @Test
  void stringModeWritesObjectArgumentsAsPythonJsonText() throws Exception {
    assertEquals("2+3?add({\"a\": 2, \"b\": \"三\"})",
        render(CONCATENATING, ToolArguments.STRING, call("{\"a\": 2, \"b\": \"三\"}")));
  }

  @Test
  void objectModeFailsWhereTheTemplateConcatenatesAsPythonDoes() throws Exception {
    TemplateException e = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
        () -> render(CONCATENATING, ToolArguments.OBJECT, call("{\"a\": 2}")));
    assertEquals("TypeError: can only concatenate str (not \"dict\") to str", e.describe());
  }

  @Test
  void stringArgumentsStayAsTheyAreInBothModes() throws Exception {
    assertEquals("2+3?add({\"a\":2})", render(CONCATENATING, ToolArguments.STRING, call("\"{\\\"a\\\":2}\"")));
    assertEquals("2+3?add({\"a\":2})", render(CONCATENATING, ToolArguments.OBJECT, call("\"{\\\"a\\\":2}\"")));
  }

  @Test
  void objectModeIsWhatTojsonTemplatesNeed() throws Exception {
    assertEquals("{\"a\": 2}", render(TOJSON, ToolArguments.OBJECT, call("{\"a\": 2}")));
    assertEquals("\"{\\\"a\\\": 2}\"", render(TOJSON, ToolArguments.STRING, call("{\"a\": 2}")));
  }
}
