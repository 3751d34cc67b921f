// The routes file: loopback only, four fields a line, each listener once.
#include "tests/lab/delay_proxy/route.h"

#include <catch2/catch.hpp>

using lab::delay_proxy::parse_routes;
using lab::delay_proxy::RouteError;

TEST_CASE("routes are read one a line, comments and blank lines skipped") {
  auto routes = parse_routes(
      "# node A\n127.10.0.1 22 127.10.0.1 40001\n\n127.10.0.2 5985 127.10.0.2 40002\n", "r");
  REQUIRE(routes.size() == 2);
  CHECK(routes[0].listen_address == "127.10.0.1");
  CHECK(routes[0].listen_port == 22);
  CHECK(routes[0].target_address == "127.10.0.1");
  CHECK(routes[0].target_port == 40001);
  CHECK(routes[1].listen_port == 5985);
  CHECK(parse_routes(lab::delay_proxy::routes_text(routes), "again").size() == 2);
}

TEST_CASE("an address outside 127.0.0.0/8 is refused, listener or target") {
  CHECK_THROWS_WITH(parse_routes("10.0.0.1 22 127.0.0.1 2222\n", "r"),
                    Catch::Contains("r:1") && Catch::Contains("10.0.0.1 is not a loopback"));
  CHECK_THROWS_WITH(parse_routes("127.0.0.1 22 192.168.1.5 22\n", "r"),
                    Catch::Contains("192.168.1.5"));
  CHECK_THROWS_AS(parse_routes("128.0.0.1 22 127.0.0.1 22\n", "r"), RouteError);
  CHECK_THROWS_AS(parse_routes("localhost 22 127.0.0.1 22\n", "r"), RouteError);
}

TEST_CASE("bad lines, bad ports, a listener twice and an empty file are refused") {
  CHECK_THROWS_WITH(parse_routes("127.0.0.1 22 127.0.0.1\n", "r"), Catch::Contains("r:1"));
  CHECK_THROWS_WITH(parse_routes("127.0.0.1 22 127.0.0.1 22 extra\n", "r"), Catch::Contains("r:1"));
  CHECK_THROWS_AS(parse_routes("127.0.0.1 0 127.0.0.1 22\n", "r"), RouteError);
  CHECK_THROWS_AS(parse_routes("127.0.0.1 65536 127.0.0.1 22\n", "r"), RouteError);
  CHECK_THROWS_AS(parse_routes("127.0.0.1 -1 127.0.0.1 22\n", "r"), RouteError);
  CHECK_THROWS_WITH(parse_routes("127.0.0.1 22 127.0.0.1 1\n127.0.0.1 22 127.0.0.1 2\n", "r"),
                    Catch::Contains("r:2") && Catch::Contains("twice"));
  CHECK_THROWS_WITH(parse_routes("# nothing\n", "r"), Catch::Contains("no route"));
}
