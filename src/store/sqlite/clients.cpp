// client_store over SQLite: one statement per call, so each is its own transaction.
#include "store/scopes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/steps.hpp"
#include "store/values.hpp"

namespace warden::store {

namespace sqlite_steps {

client_record read_client(sqlite_statement const& s) {
    client_record client;
    client.client_id = s.column_text(0);
    client.secret_hash = s.column_blob(1);
    client.scopes = decode_scopes(s.column_text(2));
    client.created_at = s.column_int64(3);
    client.updated_at = s.column_int64(4);
    return client;
}

result<void> insert_client(sqlite_connection& c, client_record const& client) {
    if (auto ok = check_client(client); !ok) return ok;
    auto scopes = encode_scopes(client.scopes);
    if (!scopes) return scopes.error();
    auto q = bound(c, sql::client_insert, client.client_id, sqlite_blob{client.secret_hash},
                   *scopes, client.created_at, client.updated_at);
    if (!q) return q.error();
    if (auto r = run_to_end(**q); !r) {
        return (*q)->rc() == SQLITE_CONSTRAINT_PRIMARYKEY ? errc::already_exists : r.error();
    }
    return {};
}

}  // namespace sqlite_steps

result<void> sqlite_store::add_client(client_record const& client) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    return sqlite_steps::insert_client(**c, client);
}

result<client_record> sqlite_store::find_client(std::string_view client_id) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::client_get, client_id);
    if (!q) return q.error();
    return sqlite_steps::read_client(**q);
}

result<std::vector<client_record>> sqlite_store::clients() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = bound(**c, sql::client_list);
    if (!q) return q.error();
    std::vector<client_record> out;
    for (;;) {
        auto row = (*q)->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(sqlite_steps::read_client(**q));
    }
}

result<void> sqlite_store::set_client_secret(std::string_view client_id,
                                             std::string_view secret_hash, std::int64_t now) {
    if (secret_hash.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::client_set_secret, client_id, sqlite_blob{secret_hash}, now); !r)
        return r;
    if ((*c)->changes() == 0) return errc::not_found;
    return {};
}

result<void> sqlite_store::delete_client(std::string_view client_id) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::client_delete, client_id); !r) return r;
    if ((*c)->changes() == 0) return errc::not_found;
    return {};
}

}  // namespace warden::store
