#include "core/parse_tree.hpp"

#include <pg_query.h>

namespace core {

ParseTree::ParseTree(std::string_view sql) {
  const std::string text(sql);
  PgQueryProtobufParseResult result = pg_query_parse_protobuf(text.c_str());
  if (result.error) {
    m_error = result.error->message ? result.error->message : "syntax error";
  } else {
    m_tree = pg_query__parse_result__unpack(nullptr, result.parse_tree.len,
                                            reinterpret_cast<const uint8_t*>(result.parse_tree.data));
  }
  pg_query_free_protobuf_parse_result(result);
}

ParseTree::~ParseTree() {
  if (m_tree) protobuf_c_message_free_unpacked(&m_tree->base, nullptr);
}

namespace {

// Visits every message field of msg (the active member of a oneof only), reporting Node messages.
void walk(const ProtobufCMessage* msg, const std::function<void(const PgQuery__Node&)>& visit) {
  if (!msg) return;
  const ProtobufCMessageDescriptor* d = msg->descriptor;
  if (d == &pg_query__node__descriptor) visit(*reinterpret_cast<const PgQuery__Node*>(msg));
  const char* base = reinterpret_cast<const char*>(msg);
  for (unsigned i = 0; i < d->n_fields; ++i) {
    const ProtobufCFieldDescriptor& f = d->fields[i];
    if (f.type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if (f.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
      auto active = *reinterpret_cast<const uint32_t*>(base + f.quantifier_offset);
      if (active != f.id) continue;
    }
    if (f.label == PROTOBUF_C_LABEL_REPEATED) {
      auto n = *reinterpret_cast<const size_t*>(base + f.quantifier_offset);
      auto items = *reinterpret_cast<ProtobufCMessage* const* const*>(base + f.offset);
      for (size_t k = 0; k < n; ++k) walk(items[k], visit);
    } else {
      walk(*reinterpret_cast<ProtobufCMessage* const*>(base + f.offset), visit);
    }
  }
}

}  // namespace

void for_each_node(const PgQuery__Node* node, const std::function<void(const PgQuery__Node&)>& visit) {
  walk(reinterpret_cast<const ProtobufCMessage*>(node), visit);
}

std::string qualified_name(std::size_t n, PgQuery__Node* const* names) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (names[i]->node_case != PG_QUERY__NODE__NODE_STRING) continue;
    if (!out.empty()) out += '.';
    out += names[i]->string->sval;
  }
  return out;
}

std::optional<std::string> string_constant(const PgQuery__Node& node) {
  if (node.node_case != PG_QUERY__NODE__NODE_A_CONST || node.a_const->isnull) return std::nullopt;
  if (node.a_const->val_case != PG_QUERY__A__CONST__VAL_SVAL) return std::nullopt;
  return std::string(node.a_const->sval->sval);
}

}  // namespace core
