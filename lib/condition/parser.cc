// Copyright 2026 The stepup Authors. Licensed under the Apache License 2.0.
#include "condition/parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "condition/lexer.h"

namespace stepup::condition {
namespace {

using attributes::AttributePath;
using attributes::StaticType;
using attributes::Value;

// What the checker knows about an expression at load time. kDynamic (claims)
// is checked when the condition runs.
enum class Type { kBool, kInt, kString, kList, kDynamic };

std::string type_name(Type type) {
  switch (type) {
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kString:
      return "string";
    case Type::kList:
      return "list";
    case Type::kDynamic:
      return "dynamic";
  }
  return "dynamic";
}

struct Typed {
  int32_t node = -1;
  Type type = Type::kDynamic;
  Type item = Type::kDynamic;  // For kList: the items' type, if known.
  std::size_t offset = 0;      // Where the expression starts, for messages.
};

Typed from_static(StaticType type) {
  switch (type) {
    case StaticType::kBool:
      return Typed{-1, Type::kBool};
    case StaticType::kInt:
      return Typed{-1, Type::kInt};
    case StaticType::kString:
      return Typed{-1, Type::kString};
    case StaticType::kStringList:
      return Typed{-1, Type::kList, Type::kString};
    case StaticType::kDynamic:
      return Typed{-1, Type::kDynamic};
  }
  return Typed{};
}

bool is_bool_like(const Typed& typed) {
  return typed.type == Type::kBool || typed.type == Type::kDynamic;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || !is_identifier_start(text[0])) return false;
  return std::all_of(text.begin() + 1, text.end(), is_identifier_char);
}

// A bracketed member for AttributePath::text, with the lexer's escapes.
std::string bracketed(std::string_view name) {
  std::string out = "[\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"]";
}

struct Function {
  std::string_view name;
  std::size_t arity;
};

constexpr Function kFunctions[] = {
    {"has", 1}, {"size", 1}, {"starts_with", 2}, {"ends_with", 2}, {"acr_at_least", 1},
};

std::optional<Op> comparison_op(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEqual:
      return Op::kEqual;
    case TokenKind::kNotEqual:
      return Op::kNotEqual;
    case TokenKind::kLess:
      return Op::kLess;
    case TokenKind::kLessEqual:
      return Op::kLessEqual;
    case TokenKind::kGreater:
      return Op::kGreater;
    case TokenKind::kGreaterEqual:
      return Op::kGreaterEqual;
    case TokenKind::kIdentifier:
      if (token.text == "in") return Op::kIn;
      if (token.text == "contains") return Op::kContains;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

// The message for a comparison whose operand types can never work, or
// nullopt when they can (or can only be told at run time).
std::optional<std::string> check_comparison(Op op, std::string_view op_text, const Typed& left,
                                            const Typed& right) {
  const std::string quoted = "'" + std::string(op_text) + "'";
  switch (op) {
    case Op::kEqual:
    case Op::kNotEqual:
      if (left.type == Type::kList || right.type == Type::kList) {
        return "lists cannot be compared with " + quoted;
      }
      break;
    case Op::kLess:
    case Op::kLessEqual:
    case Op::kGreater:
    case Op::kGreaterEqual:
      for (const Typed* side : {&left, &right}) {
        if (side->type == Type::kBool || side->type == Type::kList) {
          return quoted + " needs integers or strings, got " + type_name(side->type);
        }
      }
      break;
    case Op::kIn:
    case Op::kContains: {
      const bool in = op == Op::kIn;
      const Typed& needle = in ? left : right;
      const Typed& haystack = in ? right : left;
      if (in && (haystack.type == Type::kInt || haystack.type == Type::kBool)) {
        return "'in' needs a list or a string on the right, got " + type_name(haystack.type);
      }
      if (!in && haystack.type != Type::kList && haystack.type != Type::kDynamic) {
        return "'contains' needs a list on the left, got " + type_name(haystack.type);
      }
      if (needle.type == Type::kList) {
        return quoted + " needs a string, int or bool " + (in ? "on the left" : "on the right") +
               ", got list";
      }
      if (haystack.type == Type::kString && needle.type != Type::kString &&
          needle.type != Type::kDynamic) {
        return "'in' on a string needs a string on the left, got " + type_name(needle.type);
      }
      if (haystack.type == Type::kList && haystack.item != Type::kDynamic &&
          needle.type != Type::kDynamic && needle.type != haystack.item) {
        return "cannot look for " + type_name(needle.type) + " in a list of " +
               type_name(haystack.item);
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
  if (left.type != Type::kDynamic && right.type != Type::kDynamic && left.type != right.type) {
    return "cannot compare " + type_name(left.type) + " with " + type_name(right.type);
  }
  return std::nullopt;
}

class Parser {
 public:
  Parser(std::string_view text, const CompileOptions& options, Program& program)
      : lexer_(text), options_(options), program_(program) {}

  std::optional<CompileError> parse();

 private:
  // nullopt means failure; error_ then holds the error.
  using Result = std::optional<Typed>;

  Result fail(std::size_t offset, std::string message) {
    error_ = error_at(offset, std::move(message));
    return std::nullopt;
  }
  bool advance();
  // Counts one level of nesting; false (with error_ set) past the limit.
  bool enter(std::size_t offset);

  Result parse_junction(TokenKind kind, Op op, std::string_view op_text, Result (Parser::*next)());
  Result parse_or() { return parse_junction(TokenKind::kOr, Op::kOr, "||", &Parser::parse_and); }
  Result parse_and() { return parse_junction(TokenKind::kAnd, Op::kAnd, "&&", &Parser::parse_not); }
  Result parse_not();
  Result parse_comparison();
  Result parse_operand();
  Result parse_literal();
  Result parse_list();
  Result parse_call(const std::string& name, std::size_t offset);
  Result parse_path(const std::string& root, std::size_t offset);

  Typed add(Node node, Typed typed) {
    typed.node = static_cast<int32_t>(program_.nodes.size());
    program_.nodes.push_back(std::move(node));
    return typed;
  }
  Value intern(std::string text) {
    program_.strings.push_back(std::move(text));
    return Value::string(program_.strings.back());
  }
  int32_t intern_path(AttributePath path);

  Lexer lexer_;
  Token token_;
  std::optional<CompileError> error_;
  int depth_ = 0;
  const CompileOptions& options_;
  Program& program_;
};

std::optional<CompileError> Parser::parse() {
  if (program_.text.size() > kMaxConditionBytes) {
    return error_at(kMaxConditionBytes,
                    "condition is longer than " + std::to_string(kMaxConditionBytes) + " bytes");
  }
  if (!advance()) return error_;
  if (token_.kind == TokenKind::kEnd) return error_at(token_.offset, "empty condition");
  const Result result = parse_or();
  if (!result) return error_;
  if (token_.kind != TokenKind::kEnd) {
    std::string shown(token_.text.substr(0, 32));
    if (token_.text.size() > 32) shown += "...";
    // Strings already carry their quotes.
    if (token_.kind != TokenKind::kString) shown = "'" + shown + "'";
    return error_at(token_.offset, "unexpected " + shown + " after expression");
  }
  if (!is_bool_like(*result)) {
    return error_at(result->offset, "condition must be a boolean, got " + type_name(result->type));
  }
  program_.root = result->node;
  return std::nullopt;
}

bool Parser::advance() {
  error_ = lexer_.next(token_);
  return !error_;
}

bool Parser::enter(std::size_t offset) {
  if (++depth_ <= kMaxNestingDepth) return true;
  error_ = error_at(offset, "expression nested too deeply (more than " +
                                std::to_string(kMaxNestingDepth) + " levels)");
  return false;
}

// `&&` and `||` chains become one node with n operands, so a long chain costs
// no stack depth when checked or evaluated.
Parser::Result Parser::parse_junction(TokenKind kind, Op op, std::string_view op_text,
                                      Result (Parser::*next)()) {
  Result first = (this->*next)();
  if (!first || token_.kind != kind) return first;
  std::vector<int32_t> children;
  Result operand = first;
  while (true) {
    if (!is_bool_like(*operand)) {
      return fail(operand->offset, "'" + std::string(op_text) + "' needs boolean operands, got " +
                                       type_name(operand->type));
    }
    children.push_back(operand->node);
    if (token_.kind != kind) break;
    if (!advance()) return std::nullopt;
    operand = (this->*next)();
    if (!operand) return std::nullopt;
  }
  Node node;
  node.op = op;
  node.first = static_cast<int32_t>(program_.operands.size());
  node.count = static_cast<int32_t>(children.size());
  program_.operands.insert(program_.operands.end(), children.begin(), children.end());
  return add(std::move(node), Typed{-1, Type::kBool, Type::kDynamic, first->offset});
}

Parser::Result Parser::parse_not() {
  if (token_.kind != TokenKind::kNot) return parse_comparison();
  const std::size_t offset = token_.offset;
  if (!enter(offset) || !advance()) return std::nullopt;
  const Result operand = parse_not();
  if (!operand) return std::nullopt;
  --depth_;
  if (!is_bool_like(*operand)) {
    return fail(offset, "'!' needs a boolean operand, got " + type_name(operand->type));
  }
  Node node;
  node.op = Op::kNot;
  node.first = operand->node;
  return add(std::move(node), Typed{-1, Type::kBool, Type::kDynamic, offset});
}

Parser::Result Parser::parse_comparison() {
  const Result left = parse_operand();
  if (!left) return std::nullopt;
  const std::optional<Op> op = comparison_op(token_);
  if (!op) return left;
  const std::size_t op_offset = token_.offset;
  const std::string op_text(token_.text);
  if (!advance()) return std::nullopt;
  const Result right = parse_operand();
  if (!right) return std::nullopt;
  if (std::optional<std::string> message = check_comparison(*op, op_text, *left, *right)) {
    return fail(op_offset, std::move(*message));
  }
  if (comparison_op(token_)) {
    return fail(token_.offset, "comparisons cannot be chained; add parentheses");
  }
  Node node;
  node.op = *op;
  node.first = left->node;
  node.second = right->node;
  return add(std::move(node), Typed{-1, Type::kBool, Type::kDynamic, left->offset});
}

Parser::Result Parser::parse_operand() {
  const std::size_t offset = token_.offset;
  switch (token_.kind) {
    case TokenKind::kLeftParen: {
      if (!enter(offset) || !advance()) return std::nullopt;
      Result inner = parse_or();
      if (!inner) return std::nullopt;
      if (token_.kind != TokenKind::kRightParen) return fail(token_.offset, "expected ')'");
      if (!advance()) return std::nullopt;
      --depth_;
      inner->offset = offset;
      return inner;
    }
    case TokenKind::kLeftBracket:
      return parse_list();
    case TokenKind::kString:
    case TokenKind::kInteger:
      return parse_literal();
    case TokenKind::kIdentifier: {
      if (token_.text == "true" || token_.text == "false") return parse_literal();
      if (token_.text == "in" || token_.text == "contains") {
        return fail(offset, "expected an operand");
      }
      const std::string name(token_.text);
      if (!advance()) return std::nullopt;
      if (token_.kind == TokenKind::kLeftParen) return parse_call(name, offset);
      return parse_path(name, offset);
    }
    case TokenKind::kNot:
      return fail(offset, "expected an operand; put '!' and its operand in parentheses");
    default:
      return fail(offset, "expected an operand");
  }
}

// A string, integer or boolean literal at token_.
Parser::Result Parser::parse_literal() {
  Node node;
  Typed typed;
  typed.offset = token_.offset;
  if (token_.kind == TokenKind::kString) {
    node.literal = intern(std::move(token_.string_value));
    typed.type = Type::kString;
  } else if (token_.kind == TokenKind::kInteger) {
    node.literal = Value::integer(token_.integer_value);
    typed.type = Type::kInt;
  } else {
    node.literal = Value::boolean(token_.text == "true");
    typed.type = Type::kBool;
  }
  if (!advance()) return std::nullopt;
  return add(std::move(node), typed);
}

Parser::Result Parser::parse_list() {
  const std::size_t offset = token_.offset;
  if (!advance()) return std::nullopt;
  std::vector<Value> items;
  Type item_type = Type::kDynamic;
  if (token_.kind == TokenKind::kRightBracket) {
    if (!advance()) return std::nullopt;
  } else {
    while (true) {
      const std::size_t item_offset = token_.offset;
      Type type;
      if (token_.kind == TokenKind::kString) {
        items.push_back(intern(std::move(token_.string_value)));
        type = Type::kString;
      } else if (token_.kind == TokenKind::kInteger) {
        items.push_back(Value::integer(token_.integer_value));
        type = Type::kInt;
      } else if (token_.kind == TokenKind::kIdentifier &&
                 (token_.text == "true" || token_.text == "false")) {
        items.push_back(Value::boolean(token_.text == "true"));
        type = Type::kBool;
      } else if (token_.kind == TokenKind::kRightBracket) {
        return fail(item_offset, "expected a list item");
      } else {
        return fail(item_offset, "list items must be string, int or bool literals");
      }
      if (item_type != Type::kDynamic && type != item_type) {
        return fail(item_offset, "list items must all have one type: expected " +
                                     type_name(item_type) + ", got " + type_name(type));
      }
      item_type = type;
      if (!advance()) return std::nullopt;
      if (token_.kind == TokenKind::kRightBracket) break;
      if (token_.kind != TokenKind::kComma) return fail(token_.offset, "expected ',' or ']'");
      if (!advance()) return std::nullopt;
    }
    if (!advance()) return std::nullopt;
  }
  Node node;
  node.op = Op::kList;
  node.first = static_cast<int32_t>(program_.list_items.size());
  node.count = static_cast<int32_t>(items.size());
  program_.list_items.insert(program_.list_items.end(), items.begin(), items.end());
  return add(std::move(node), Typed{-1, Type::kList, item_type, offset});
}

// token_ is the '(' after the function's name.
Parser::Result Parser::parse_call(const std::string& name, std::size_t offset) {
  const Function* function = nullptr;
  for (const Function& candidate : kFunctions) {
    if (candidate.name == name) function = &candidate;
  }
  if (function == nullptr) return fail(offset, "unknown function " + name);
  if (!enter(token_.offset) || !advance()) return std::nullopt;
  std::vector<Typed> args;
  if (token_.kind != TokenKind::kRightParen) {
    while (true) {
      const Result arg = parse_or();
      if (!arg) return std::nullopt;
      args.push_back(*arg);
      if (token_.kind == TokenKind::kRightParen) break;
      if (token_.kind != TokenKind::kComma) {
        return fail(token_.offset, args.size() < function->arity ? "expected ','" : "expected ')'");
      }
      if (!advance()) return std::nullopt;
    }
  }
  if (!advance()) return std::nullopt;
  --depth_;
  if (args.size() != function->arity) {
    return fail(offset, name + "() takes " + std::to_string(function->arity) +
                            (function->arity == 1 ? " argument" : " arguments") + ", got " +
                            std::to_string(args.size()));
  }
  Node node;
  const Typed result_bool{-1, Type::kBool, Type::kDynamic, offset};
  if (name == "has") {
    const Node& arg = program_.nodes[args[0].node];
    if (arg.op != Op::kPath) return fail(args[0].offset, "has() needs an attribute path");
    node.op = Op::kHas;
    node.first = arg.first;
    return add(std::move(node), result_bool);
  }
  if (name == "size") {
    const Type type = args[0].type;
    if (type != Type::kString && type != Type::kList && type != Type::kDynamic) {
      return fail(args[0].offset, "size() needs a string or a list, got " + type_name(type));
    }
    node.op = Op::kSize;
    node.first = args[0].node;
    return add(std::move(node), Typed{-1, Type::kInt, Type::kDynamic, offset});
  }
  if (name == "starts_with" || name == "ends_with") {
    for (const Typed& arg : args) {
      if (arg.type != Type::kString && arg.type != Type::kDynamic) {
        return fail(arg.offset, name + "() needs strings, got " + type_name(arg.type));
      }
    }
    node.op = name == "starts_with" ? Op::kStartsWith : Op::kEndsWith;
    node.first = args[0].node;
    node.second = args[1].node;
    return add(std::move(node), result_bool);
  }
  // acr_at_least: the level is fixed at load, so its position is too.
  if (options_.acr_levels == nullptr || options_.acr_levels->empty()) {
    return fail(offset, "acr_at_least() needs acr_levels in the document");
  }
  const Node& arg = program_.nodes[args[0].node];
  if (arg.op != Op::kLiteral || arg.literal.kind() != Value::Kind::kString) {
    return fail(args[0].offset, "acr_at_least() needs a string literal");
  }
  const std::vector<std::string>& levels = *options_.acr_levels;
  const auto level = std::find(levels.begin(), levels.end(), arg.literal.as_string());
  if (level == levels.end()) {
    return fail(args[0].offset,
                "'" + std::string(arg.literal.as_string()) + "' is not one of acr_levels");
  }
  if (program_.acr_levels.empty()) program_.acr_levels = levels;
  AttributePath policy;
  policy.id = attributes::AttributeId::kAuthenticationPolicy;
  policy.text = "authentication_policy";
  node.op = Op::kAcrAtLeast;
  node.first = intern_path(std::move(policy));
  node.second = static_cast<int32_t>(level - levels.begin());
  return add(std::move(node), result_bool);
}

// token_ follows the root name.
Parser::Result Parser::parse_path(const std::string& root, std::size_t offset) {
  std::vector<std::string> segments = {root};
  std::string text = root;
  while (token_.kind == TokenKind::kDot || token_.kind == TokenKind::kLeftBracket) {
    if (token_.kind == TokenKind::kDot) {
      if (!advance()) return std::nullopt;
      if (token_.kind == TokenKind::kIdentifier) {
        segments.emplace_back(token_.text);
        text += "." + segments.back();
        if (!advance()) return std::nullopt;
        continue;
      }
      if (token_.kind != TokenKind::kLeftBracket) {
        return fail(token_.offset, "expected a name after '.'");
      }
    }
    // A bracketed member: `["https://x/claim"]`.
    if (!advance()) return std::nullopt;
    if (token_.kind != TokenKind::kString) {
      return fail(token_.offset, "expected a quoted name after '['");
    }
    if (token_.string_value.empty()) return fail(token_.offset, "empty member name");
    segments.push_back(std::move(token_.string_value));
    const std::string& name = segments.back();
    text += is_identifier(name) ? "." + name : bracketed(name);
    if (!advance()) return std::nullopt;
    if (token_.kind != TokenKind::kRightBracket) return fail(token_.offset, "expected ']'");
    if (!advance()) return std::nullopt;
  }
  absl::StatusOr<AttributePath> path = attributes::resolve_attribute_path(segments);
  if (!path.ok()) return fail(offset, std::string(path.status().message()));
  path->text = std::move(text);
  Typed typed = from_static(attributes::static_type(*path));
  typed.offset = offset;
  Node node;
  node.op = Op::kPath;
  node.first = intern_path(*std::move(path));
  return add(std::move(node), typed);
}

int32_t Parser::intern_path(AttributePath path) {
  for (std::size_t i = 0; i < program_.paths.size(); ++i) {
    const AttributePath& known = program_.paths[i];
    if (known.id == path.id && known.names == path.names) return static_cast<int32_t>(i);
  }
  program_.paths.push_back(std::move(path));
  return static_cast<int32_t>(program_.paths.size() - 1);
}

}  // namespace

std::variant<std::shared_ptr<Program>, CompileError> parse_condition(
    std::string_view text, const CompileOptions& options) {
  auto program = std::make_shared<Program>();
  program->text = std::string(text);
  Parser parser(program->text, options, *program);
  if (std::optional<CompileError> error = parser.parse()) return *std::move(error);
  return program;
}

}  // namespace stepup::condition
