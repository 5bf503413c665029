package io.sftprep.job.bench;

import java.util.SplittableRandom;

/**
 * Plausible English and Chinese prose for the benchmark corpus, built from small word lists and sentence shapes
 * (written for this generator, not taken from any corpus). The text means nothing, but its words, punctuation,
 * markdown and lengths look like chat data to a tokenizer.
 *
 * <pre>{@code english(rng, 12) -> "The careful team should review every simple report before the next meeting."}</pre>
 */
final class Words {
  private Words() {}

  private static final String[] NOUNS = {"system", "report", "team", "customer", "model", "question", "answer",
      "problem", "solution", "function", "result", "value", "table", "file", "server", "network", "user", "project",
      "meeting", "budget", "plan", "schedule", "city", "river", "garden", "kitchen", "recipe", "student", "teacher",
      "lesson", "book", "chapter", "story", "market", "price", "product", "feature", "request", "response", "error",
      "message", "database", "query", "index", "page", "document", "contract", "policy", "method", "process",
      "experiment", "sample", "measurement", "temperature", "weather", "forecast", "journey", "ticket", "hotel",
      "flight", "train", "bicycle", "engine", "battery", "screen", "keyboard", "library", "museum", "painting",
      "song", "movie", "language", "sentence", "paragraph", "argument", "idea", "reason", "example", "detail",
      "summary", "decision", "risk", "benefit", "cost", "strategy", "goal", "habit", "exercise", "health", "diet",
      "vegetable", "bread", "coffee", "window", "door", "morning", "evening", "weekend", "holiday", "company"};
  private static final String[] VERBS = {"review", "update", "explain", "describe", "compare", "improve", "check",
      "build", "test", "measure", "change", "collect", "send", "read", "write", "open", "close", "start", "finish",
      "choose", "prepare", "follow", "support", "reduce", "increase", "create", "remove", "replace", "share",
      "organize", "plan", "visit", "cook", "learn", "teach", "translate", "calculate", "store", "load", "save",
      "print", "sort", "filter", "merge", "split", "train", "evaluate", "deploy", "monitor", "schedule"};
  private static final String[] ADJECTIVES = {"simple", "careful", "large", "small", "quick", "slow", "new", "old",
      "important", "useful", "clear", "complex", "different", "similar", "local", "global", "early", "late", "main",
      "final", "public", "private", "safe", "modern", "classic", "fresh", "warm", "cold", "bright", "quiet",
      "strong", "light", "heavy", "cheap", "expensive", "accurate", "efficient", "popular", "common", "rare",
      "typical", "detailed", "basic", "advanced", "practical", "reliable", "flexible", "narrow", "wide", "healthy"};
  private static final String[] ADVERBS = {"quickly", "carefully", "usually", "often", "rarely", "always",
      "probably", "clearly", "simply", "easily", "directly", "finally", "already", "still", "almost", "really"};
  private static final String[] PREPOSITIONS = {"in", "on", "for", "with", "from", "about", "after", "before",
      "during", "under", "between", "without", "through", "near", "across"};
  private static final String[] DETERMINERS = {"the", "a", "this", "that", "every", "each", "our", "your", "their",
      "another", "some", "the next", "the first", "the last"};
  private static final String[] OPENERS = {"In general,", "For example,", "However,", "First,", "Then,",
      "After that,", "In practice,", "As a result,", "Of course,", "Sure,", "Note that", "In short,"};
  private static final String[] QUESTION_STARTS = {"How can I", "Can you", "What is the best way to",
      "Why does my", "Could you please", "Is it possible to", "When should I", "Where can I"};

  private static final String[] ZH_NOUNS = {"系统", "报告", "团队", "客户", "模型", "问题", "答案", "方案", "函数", "结果",
      "数据", "表格", "文件", "服务器", "网络", "用户", "项目", "会议", "预算", "计划", "城市", "河流", "花园", "厨房",
      "菜谱", "学生", "老师", "课程", "书", "故事", "市场", "价格", "产品", "功能", "请求", "错误", "消息", "数据库",
      "页面", "文档", "合同", "政策", "方法", "过程", "实验", "样本", "温度", "天气", "旅行", "车票", "酒店", "航班",
      "火车", "电池", "屏幕", "图书馆", "博物馆", "电影", "语言", "句子", "段落", "观点", "原因", "例子", "细节",
      "总结", "决定", "风险", "成本", "策略", "目标", "习惯", "运动", "健康", "蔬菜", "面包", "咖啡", "早上", "周末",
      "假期", "公司", "历史", "文化", "经济", "社会", "环境", "教育", "技术", "工具", "时间", "效率", "质量"};
  private static final String[] ZH_VERBS = {"检查", "更新", "解释", "描述", "比较", "改进", "建立", "测试", "测量",
      "改变", "收集", "发送", "阅读", "编写", "打开", "关闭", "开始", "完成", "选择", "准备", "支持", "减少", "增加",
      "创建", "删除", "替换", "分享", "整理", "安排", "参观", "学习", "翻译", "计算", "保存", "处理", "分析", "讨论",
      "理解", "使用", "提高", "考虑", "推荐", "部署", "监控", "优化", "评估"};
  private static final String[] ZH_ADJECTIVES = {"简单的", "重要的", "有用的", "清楚的", "复杂的", "不同的", "新的",
      "旧的", "主要的", "安全的", "现代的", "新鲜的", "安静的", "便宜的", "昂贵的", "准确的", "高效的", "常见的",
      "详细的", "基本的", "实用的", "可靠的", "灵活的", "健康的", "传统的", "完整的"};
  private static final String[] ZH_ADVERBS = {"通常", "经常", "已经", "仍然", "可能", "必须", "应该", "非常", "特别",
      "马上", "慢慢地", "认真地", "首先", "然后", "最后", "其实"};
  private static final String[] ZH_SUBJECTS = {"我们", "你", "他们", "这个团队", "用户", "老师", "大家", "我",
      "公司", "研究人员"};
  private static final String[] ZH_CONNECTORS = {"因为", "所以", "但是", "而且", "如果", "虽然", "同时", "另外",
      "例如", "总之"};
  private static final String[] ZH_QUESTIONS = {"请问", "你能帮我", "怎么", "为什么", "有没有办法", "能不能",
      "我想知道如何", "请帮我"};

  static String pick(SplittableRandom r, String[] words) {
    return words[r.nextInt(words.length)];
  }

  /** An English sentence of roughly {@code words} words, capitalised and punctuated. */
  static String englishSentence(SplittableRandom r, int words) {
    StringBuilder b = new StringBuilder();
    if (r.nextInt(5) == 0) b.append(pick(r, OPENERS)).append(' ');
    int n = 0;
    while (n < words) {
      switch (r.nextInt(4)) {
        case 0:
          b.append(pick(r, DETERMINERS)).append(' ').append(pick(r, ADJECTIVES)).append(' ').append(pick(r, NOUNS));
          n += 3;
          break;
        case 1:
          b.append(r.nextInt(3) == 0 ? pick(r, ADVERBS) + " " : "").append(pick(r, VERBS));
          n += 2;
          break;
        case 2:
          b.append(pick(r, PREPOSITIONS)).append(' ').append(pick(r, DETERMINERS)).append(' ').append(pick(r, NOUNS));
          n += 3;
          break;
        default:
          b.append(r.nextInt(8) == 0 ? Integer.toString(r.nextInt(2030)) : pick(r, NOUNS));
          n += 1;
      }
      b.append(n < words ? (r.nextInt(9) == 0 ? ", " : " ") : "");
    }
    b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
    b.append(r.nextInt(10) == 0 ? '!' : '.');
    return b.toString();
  }

  static String englishQuestion(SplittableRandom r, int words) {
    String s = englishSentence(r, Math.max(3, words - 3));
    return pick(r, QUESTION_STARTS) + " " + Character.toLowerCase(s.charAt(0)) + s.substring(1, s.length() - 1) + "?";
  }

  /** A Chinese sentence of roughly {@code words} words (no spaces), with Chinese punctuation. */
  static String chineseSentence(SplittableRandom r, int words) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    while (n < words) {
      if (n > 0) b.append(r.nextInt(3) == 0 ? "，" + pick(r, ZH_CONNECTORS) : "，");
      b.append(pick(r, ZH_SUBJECTS)).append(pick(r, ZH_ADVERBS)).append(pick(r, ZH_VERBS))
          .append(r.nextBoolean() ? "这个" : "").append(pick(r, ZH_ADJECTIVES)).append(pick(r, ZH_NOUNS));
      if (r.nextInt(6) == 0) b.append(r.nextInt(100)).append("个").append(pick(r, ZH_NOUNS));
      n += 6;
    }
    b.append(r.nextInt(8) == 0 ? "！" : "。");
    return b.toString();
  }

  static String chineseQuestion(SplittableRandom r, int words) {
    String s = chineseSentence(r, Math.max(4, words - 2));
    return pick(r, ZH_QUESTIONS) + s.substring(0, s.length() - 1) + "？";
  }

  /** A short Chinese sentence with English technical terms in it. */
  static String mixedSentence(SplittableRandom r, int words) {
    String zh = chineseSentence(r, words);
    int at = zh.indexOf('，');
    String term = pick(r, NOUNS) + (r.nextBoolean() ? "" : " " + pick(r, VERBS));
    return at < 0 ? term + " " + zh : zh.substring(0, at) + " " + term + " " + zh.substring(at);
  }

  static String noun(SplittableRandom r) {
    return pick(r, NOUNS);
  }

  static String verb(SplittableRandom r) {
    return pick(r, VERBS);
  }

  static String chineseNoun(SplittableRandom r) {
    return pick(r, ZH_NOUNS);
  }
}
