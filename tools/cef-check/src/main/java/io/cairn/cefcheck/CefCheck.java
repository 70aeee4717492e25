package io.cairn.cefcheck;

import com.fluenda.parcefone.event.CommonEvent;
import com.fluenda.parcefone.parser.CEFParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One JSON object per input line: {"ok":true,"header":{...},"extension":{...}} with every value as
 * a string (dates as epoch milliseconds, addresses without a host name), or {"ok":false,"error":...}
 * when ParCEFone refuses the line, validating fields against CEF's rules.
 */
public final class CefCheck {
  private CefCheck() {}

  public static void main(String[] args) throws Exception {
    CEFParser parser = new CEFParser();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) continue;
      try {
        CommonEvent event = parser.parse(line, true, Locale.ENGLISH);
        if (event == null) {
          out.append("{\"ok\":false,\"error\":\"not parsed\"}\n");
          continue;
        }
        out.append("{\"ok\":true,\"header\":").append(object(event.getHeader()));
        out.append(",\"extension\":").append(object(event.getExtension(true))).append("}\n");
      } catch (Exception error) {
        out.append("{\"ok\":false,\"error\":").append(string(String.valueOf(error.getMessage()))).append("}\n");
      }
    }
    System.out.print(out);
  }

  private static String object(Map<String, Object> map) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, Object> entry : new TreeMap<>(map).entrySet()) {
      if (entry.getValue() == null) continue;
      if (json.length() > 1) json.append(',');
      json.append(string(entry.getKey())).append(':').append(string(text(entry.getValue())));
    }
    return json.append('}').toString();
  }

  private static String text(Object value) {
    if (value instanceof Date date) return Long.toString(date.getTime());
    if (value instanceof InetAddress address) return address.getHostAddress();
    return String.valueOf(value);
  }

  private static String string(String value) {
    StringBuilder json = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) json.append(String.format("\\u%04x", (int) c));
          else json.append(c);
        }
      }
    }
    return json.append('"').toString();
  }
}
