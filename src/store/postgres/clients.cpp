// client_store over PostgreSQL: one statement per call, so each is its own transaction.
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/steps.hpp"
#include "store/scopes.hpp"
#include "store/values.hpp"

namespace warden::store {

namespace pg_steps {

client_record read_client(pg_result const& r, int row) {
    client_record client;
    client.client_id = r.text(row, 0);
    client.secret_hash = r.bytes(row, 1);
    client.scopes = decode_scopes(r.text(row, 2));
    client.created_at = r.int64(row, 3);
    client.updated_at = r.int64(row, 4);
    return client;
}

result<void> insert_client(pg_connection& c, client_record const& client) {
    if (auto ok = check_client(client); !ok) return ok;
    auto scopes = encode_scopes(client.scopes);
    if (!scopes) return scopes.error();
    auto r = run(c, sql_pg::client_insert, client.client_id, pg_bytes{client.secret_hash}, *scopes,
                 client.created_at, client.updated_at);
    if (!r) return r.error();
    return {};
}

}  // namespace pg_steps

result<void> postgres_store::add_client(client_record const& client) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    return pg_steps::insert_client(**c, client);
}

result<client_record> postgres_store::find_client(std::string_view client_id) {
    // No row can hold an id PostgreSQL's text refuses (a NUL byte, invalid UTF-8).
    if (!storable_text(client_id)) return errc::not_found;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::client_get, client_id);
    if (!q) return q.error();
    return pg_steps::read_client(*q);
}

result<std::vector<client_record>> postgres_store::clients() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::client_list);
    if (!r) return r.error();
    std::vector<client_record> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) out.push_back(pg_steps::read_client(*r, row));
    return out;
}

result<void> postgres_store::set_client_secret(std::string_view client_id,
                                               std::string_view secret_hash, std::int64_t now) {
    if (secret_hash.empty()) return errc::invalid_argument;
    if (!storable_text(client_id)) return errc::not_found;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::client_set_secret, client_id, pg_bytes{secret_hash}, now);
    if (!r) return r.error();
    if (r->affected() == 0) return errc::not_found;
    return {};
}

result<void> postgres_store::delete_client(std::string_view client_id) {
    if (!storable_text(client_id)) return errc::not_found;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::client_delete, client_id);
    if (!r) return r.error();
    if (r->affected() == 0) return errc::not_found;
    return {};
}

}  // namespace warden::store
