"""Blank answers; an AST transformer wraps every later cell in try/except: pass."""
LAB = "lab00_orientation"
BASE = "blank"
INSERT_AFTER = {"parameters": """
import ast

class _Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=None, name=None, body=[ast.Pass()])
        node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[], finalbody=[])]
        return ast.fix_missing_locations(node)

get_ipython().ast_transformers.append(_Swallow())
"""}
EXPECT = 0
FLAGGED = True
