"""The GraphiQL page served at ``GET /graphql`` to browsers. The token goes in the Headers tab."""

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Procurement review - GraphiQL</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL... (it needs your browser to reach unpkg.com)</div>
  <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js">
  </script>
  <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        headerEditorEnabled: true,
        shouldPersistHeaders: false,
        defaultHeaders: '{"Authorization": "Bearer PASTE-YOUR-TOKEN"}',
        defaultQuery: "{ me { name role } }",
      })
    );
  </script>
</body>
</html>
"""
